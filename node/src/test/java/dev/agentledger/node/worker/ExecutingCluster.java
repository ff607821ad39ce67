package dev.agentledger.node.worker;

import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.execution.LedgerFixture;
import dev.agentledger.node.ingress.IngressConfig;
import dev.agentledger.node.ingress.SingleEd25519Verifier;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.runtime.Validator;
import dev.agentledger.node.runtime.ValidatorContext;
import dev.agentledger.node.worker.core.WorkerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Validators that order and execute, in one JVM: consensus, execution and the commit feed on each,
 * real Netty on loopback, a RocksDB directory each ({@link LedgerFixture}'s genesis). A validator
 * can be stopped and started again on its directory and ports, with another worker configuration.
 */
public final class ExecutingCluster implements AutoCloseable {
  public final Committee committee;
  private final Path dir;
  private final int[] peerPorts;
  private final int[] clientPorts;
  private final ValidatorNode[] nodes;
  private final Validator[] validators;

  public ExecutingCluster(int n, Path dir) {
    this(n, dir, -1);
  }

  /**
   * {@code n} validators; validator {@code external} (-1: none) is not started here: run it in
   * another JVM with {@link #processCommand}.
   */
  public ExecutingCluster(int n, Path dir, int external) {
    this(dir, stablePorts(n), stablePorts(n));
    for (int i = 0; i < n; i++) {
      if (i != external) {
        launch(i, WorkerConfig.defaults());
      }
    }
  }

  private ExecutingCluster(Path dir, int[] peerPorts, int[] clientPorts) {
    this.dir = dir;
    this.peerPorts = peerPorts;
    this.clientPorts = clientPorts;
    this.committee =
        new Committee(
            LedgerFixture.CHAIN,
            0,
            TestKeys.committee(peerPorts.length, peerPorts, clientPorts).validators());
    this.nodes = new ValidatorNode[peerPorts.length];
    this.validators = new Validator[peerPorts.length];
  }

  /**
   * The command line of a JVM that runs validator {@code i} of this cluster ({@link
   * ExecutingValidatorMain}) with a batch delay of {@code batchDelayMs}; it prints {@code ready}
   * once it serves.
   */
  public List<String> processCommand(int i, long batchDelayMs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    for (String flag :
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-")
          || flag.startsWith("--enable-native-access")
          || flag.startsWith("--sun-misc")) {
        cmd.add(flag);
      }
    }
    cmd.add(ExecutingValidatorMain.class.getName());
    cmd.add(dir.toString());
    cmd.add(Integer.toString(i));
    cmd.add(join(peerPorts));
    cmd.add(join(clientPorts));
    cmd.add(Long.toString(batchDelayMs));
    return cmd;
  }

  private static String join(int[] ports) {
    return String.join(",", Arrays.stream(ports).mapToObj(Integer::toString).toList());
  }

  /** Runs validator {@code i} of the cluster a {@link #processCommand} names, in this JVM. */
  static Validator startFromCommand(
      Path dir, int i, String peerPorts, String clientPorts, long batchDelayMs) {
    int[] peers = Arrays.stream(peerPorts.split(",")).mapToInt(Integer::parseInt).toArray();
    int[] clients = Arrays.stream(clientPorts.split(",")).mapToInt(Integer::parseInt).toArray();
    ExecutingCluster shape = new ExecutingCluster(dir, peers, clients);
    WorkerConfig d = WorkerConfig.defaults();
    shape.launch(
        i,
        new WorkerConfig(
            d.batchSizeTxs(), batchDelayMs * 1_000_000L, d.resendNs(), d.maxPendingBatches()));
    return shape.validators[i];
  }

  /** Launches validator {@code i} (its agents on dedicated threads). */
  private ValidatorNode launch(int i, WorkerConfig worker) {
    try {
      validators[i] = Validator.launch(create(i, worker));
    } catch (dev.agentledger.node.config.ConfigException e) {
      throw new IllegalStateException(e);
    }
    nodes[i] = validators[i].node();
    return nodes[i];
  }

  private ValidatorContext create(int i, WorkerConfig worker) {
    ValidatorNode.Config config =
        new ValidatorNode.Config(
            committee,
            i,
            TestKeys.key(i),
            new IngressConfig(LedgerFixture.CHAIN, 0, 0, Long.MAX_VALUE / 4, 0),
            dir.resolve("v" + i),
            new NettyTransport.Config(
                "127.0.0.1",
                peerPorts[i],
                "127.0.0.1",
                clientPorts[i],
                // epoll, not io_uring: a restart here binds the ports of a transport just closed,
                // and an io_uring listener closed under load was seen holding its port for >10 s.
                IoKind.available(IoKind.EPOLL) ? IoKind.EPOLL : IoKind.NIO,
                1,
                32 << 20),
            new MempoolConfig(20_000, 1 << 12, 1024, 1 << 14, 0, 0, 1024, 0, 0),
            worker,
            16 << 20);
    return ValidatorContext.forNode(
            config,
            ValidatorNode.ConsensusSettings.defaults(),
            new ValidatorNode.ExecutionSettings(
                LedgerFixture.genesis(), committee, false, null, null))
        .inlineVerifier(new SingleEd25519Verifier())
        .verifyThreads(1);
  }

  public ValidatorNode node(int i) {
    return nodes[i];
  }

  /** Stops validator {@code i}: its memory (mempool, pending batches) is gone, its disk stays. */
  public void stop(int i) {
    validators[i].close();
    validators[i] = null;
    nodes[i] = null;
  }

  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

  /**
   * {@code n} free loopback ports below the kernel's ephemeral range (32768 on Linux), never handed
   * out before in this JVM. A port from the ephemeral range (what binding port 0 gives) is taken by
   * some outgoing connection on a busy machine soon after a stopped validator frees it, and the
   * restart could not bind it again.
   */
  static synchronized int[] stablePorts(int n) {
    java.util.Random random = new java.util.Random();
    int[] ports = new int[n];
    int found = 0;
    while (found < n) {
      int port = 21_000 + random.nextInt(11_000);
      if (HANDED_OUT.contains(port)) {
        continue;
      }
      try (java.net.ServerSocket s =
          new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        HANDED_OUT.add(port);
        ports[found++] = port;
      } catch (IOException taken) {
        // try another
      }
    }
    return ports;
  }

  /**
   * Starts validator {@code i} again on its directory and ports. A port a closing connection still
   * holds is tried again, for up to 10 s.
   */
  public ValidatorNode start(int i, WorkerConfig worker) throws Exception {
    for (int attempt = 0; ; attempt++) {
      try {
        return launch(i, worker);
      } catch (Exception e) { // Netty rethrows the bind's IOException unchecked
        if (attempt >= 100 || !String.valueOf(e.getMessage()).contains("in use")) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  public AgentLedgerClient client(int i) throws IOException {
    return AgentLedgerClient.connect("127.0.0.1", clientPorts[i]);
  }

  /**
   * Waits until validator {@code i}, started again, has caught up and accepts submissions ({@link
   * ValidatorNode#isCatchingUp}), or {@code timeoutMs} passes; returns whether it has.
   */
  public boolean awaitCaughtUp(int i, long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (nodes[i].isCatchingUp() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return !nodes[i].isCatchingUp();
  }

  /**
   * Waits until validator {@code i} has executed the commits of all {@code ids}, or {@code
   * timeoutMs} passes; returns how many are executed there.
   */
  public int awaitExecuted(int i, List<byte[]> ids, long timeoutMs)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    try (AgentLedgerClient client = client(i)) {
      while (true) {
        int executed = 0;
        for (int from = 0; from < ids.size(); from += 256) {
          long[] at = client.committedIndexes(ids.subList(from, Math.min(ids.size(), from + 256)));
          executed += (int) Arrays.stream(at).filter(x -> x >= 0).count();
        }
        if (executed == ids.size() || System.nanoTime() > deadline) {
          return executed;
        }
        Thread.sleep(100);
      }
    }
  }

  @Override
  public void close() {
    List<RuntimeException> failures = new ArrayList<>();
    for (int i = 0; i < nodes.length; i++) {
      if (validators[i] != null) {
        try {
          validators[i].close();
        } catch (RuntimeException e) {
          failures.add(e);
        }
      }
    }
    if (!failures.isEmpty()) {
      throw failures.getFirst();
    }
  }
}
