package dev.agentledger.node.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.execution.LedgerFixture;
import dev.agentledger.node.idle.StageAgent;
import dev.agentledger.node.ingress.IngressConfig;
import dev.agentledger.node.ingress.SingleEd25519Verifier;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.runtime.Validator;
import dev.agentledger.node.runtime.ValidatorContext;
import dev.agentledger.node.worker.core.ExecutionBacklog;
import dev.agentledger.node.worker.core.WorkerConfig;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backpressure from execution to ingress on four executing validators (RocksDB, real sockets, one
 * JVM): every execution agent is held still while consensus goes on committing, so the execution
 * backlog grows past its bound. Then every validator answers SUBMIT with OVERLOADED and pauses
 * sealing; once execution runs again, the backlog drains, every run that was ACCEPTED is executed
 * on every validator, and submissions are accepted again.
 */
@Tag("slow")
class ExecutionBacklogClusterTest {
  private static final long WAIT_MS = 120_000;
  private static final long MAX_RUNS = 300;
  private static final int FRAME = 50;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** Execution agents do nothing while this is set: a stand-in for an executor that is slow. */
  private final AtomicBoolean executionHeld = new AtomicBoolean();

  private StageAgent holdExecution(StageAgent stage) {
    if (!stage.roleName().startsWith("execution-")) {
      return stage;
    }
    Agent inner = stage.agent();
    return new StageAgent(
        new Agent() {
          @Override
          public int doWork() throws Exception {
            return executionHeld.get() ? 0 : inner.doWork();
          }

          @Override
          public String roleName() {
            return inner.roleName();
          }
        },
        stage.idle(),
        stage.lane());
  }

  @Test
  void aFullBacklogRefusesSubmissionsAndLosesNothingAccepted() throws Exception {
    int[] peerPorts = ExecutingCluster.stablePorts(4);
    int[] clientPorts = ExecutingCluster.stablePorts(4);
    Committee committee =
        new Committee(
            LedgerFixture.CHAIN, 0, TestKeys.committee(4, peerPorts, clientPorts).validators());
    Validator[] validators = new Validator[4];
    try {
      for (int i = 0; i < 4; i++) {
        validators[i] = Validator.launch(context(committee, i, peerPorts, clientPorts));
      }
      executionHeld.set(true);

      // Accepted runs pile up as committed-but-unexecuted commits until every gate closes.
      List<byte[]> accepted = new ArrayList<>();
      int signer = 0;
      while (!all(validators, v -> !v.node().executionBacklog().isOpen())) {
        assertThat(signer).as("frames sent before every gate closed").isLessThan(400);
        List<byte[]> frame = frame(signer);
        List<TxStatus> statuses = submit(clientPorts[signer % 4], frame);
        for (int k = 0; k < frame.size(); k++) {
          if (statuses.get(k) == TxStatus.ACCEPTED) {
            accepted.add(frame.get(k));
          }
        }
        signer++;
        Thread.sleep(20);
      }
      assertThat(accepted.size()).isGreaterThanOrEqualTo((int) MAX_RUNS);

      // Closed: every SUBMIT is refused as OVERLOADED, retryable, before it is verified.
      for (int v = 0; v < 4; v++) {
        List<TxStatus> refused = submit(clientPorts[v], frame(1000 + v));
        assertThat(refused).as("validator %d", v).hasSize(FRAME).containsOnly(TxStatus.OVERLOADED);
      }
      assertThat(TxStatus.OVERLOADED.reason()).contains("execution backlog");
      for (int v = 0; v < 4; v++) {
        ValidatorNode node = validators[v].node();
        assertThat(node.backlogRefusedRuns()).isGreaterThanOrEqualTo(FRAME);
        assertThat(node.executionBacklogRuns()).isGreaterThanOrEqualTo(MAX_RUNS / 2);
        assertThat(node.executionBacklog().closedFor()).isEqualTo(ExecutionBacklog.Reason.RUNS);
        int vv = v;
        // The status is rebuilt once a second: wait for one built after the refusal.
        await(() -> backlogStatus(validators[vv]).path("refusedRuns").asLong() >= FRAME);
        JsonNode backlog = backlogStatus(validators[v]);
        assertThat(backlog.path("admitting").asBoolean()).isFalse();
        assertThat(backlog.path("closedFor").asText()).isEqualTo("runs");
        assertThat(backlog.path("sealingPaused").asBoolean()).isTrue();
        assertThat(backlog.path("highWaterRuns").asLong()).isGreaterThanOrEqualTo(MAX_RUNS);
        assertThat(backlog.path("maxRuns").asLong()).isEqualTo(MAX_RUNS);
      }
      String metrics = validators[0].node().metrics().render();
      assertThat(metrics)
          .contains("agentledger_execution_backlog_transactions ")
          .contains("agentledger_execution_backlog_admitting 0")
          .contains("agentledger_ingress_backlog_refused_transactions_total ");

      // Execution runs again: the backlog drains and every accepted run is executed everywhere.
      executionHeld.set(false);
      List<byte[]> ids = accepted.stream().map(RestartNonceTest::id).toList();
      for (int v = 0; v < 4; v++) {
        assertThat(awaitExecuted(clientPorts[v], ids)).as("validator %d", v).isEqualTo(ids.size());
      }
      await(() -> all(validators, v -> v.node().executionBacklog().isOpen()));
      await(() -> all(validators, v -> v.node().executionBacklogRuns() == 0));
      for (int v = 0; v < 4; v++) {
        List<TxStatus> again = submit(clientPorts[v], frame(2000 + v));
        assertThat(again).as("validator %d", v).containsOnly(TxStatus.ACCEPTED);
      }
    } finally {
      for (Validator v : validators) {
        if (v != null) {
          v.close();
        }
      }
    }
  }

  private ValidatorContext context(Committee committee, int i, int[] peerPorts, int[] clientPorts) {
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
                IoKind.available(IoKind.EPOLL) ? IoKind.EPOLL : IoKind.NIO,
                1,
                32 << 20),
            new MempoolConfig(20_000, 1 << 12, 1024, 1 << 14, 0, 0, 1024, 0, 0),
            WorkerConfig.defaults(),
            16 << 20);
    return ValidatorContext.forNode(
            config,
            ValidatorNode.ConsensusSettings.defaults(),
            new ValidatorNode.ExecutionSettings(
                LedgerFixture.genesis(),
                committee,
                false,
                null,
                null,
                64,
                new ExecutionBacklog.Limits(MAX_RUNS, 100)))
        .inlineVerifier(new SingleEd25519Verifier())
        .verifyThreads(1)
        .agentDecorator(this::holdExecution);
  }

  /** {@link #FRAME} runs of signer {@code n} (a key of its own), nonces 0 and up. */
  private static List<byte[]> frame(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    seed[1] = (byte) (n >>> 8);
    seed[31] = 0x5B;
    Ed25519KeyPair key = Ed25519KeyPair.fromSeed(seed);
    List<byte[]> runs = new ArrayList<>(FRAME);
    for (int nonce = 0; nonce < FRAME; nonce++) {
      runs.add(LedgerFixture.run(nonce).sign(key));
    }
    return runs;
  }

  private static List<TxStatus> submit(int port, List<byte[]> records) throws Exception {
    try (AgentLedgerClient client = AgentLedgerClient.connect("127.0.0.1", port)) {
      return client.submit(records);
    }
  }

  private static JsonNode backlogStatus(Validator v) throws Exception {
    return JSON.readTree(v.node().statusJson()).path("backlog");
  }

  private static int awaitExecuted(int port, List<byte[]> ids) throws Exception {
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
    try (AgentLedgerClient client = AgentLedgerClient.connect("127.0.0.1", port)) {
      while (true) {
        int executed = 0;
        for (int from = 0; from < ids.size(); from += 256) {
          for (long at :
              client.committedIndexes(ids.subList(from, Math.min(ids.size(), from + 256)))) {
            if (at >= 0) {
              executed++;
            }
          }
        }
        if (executed == ids.size() || System.nanoTime() > deadline) {
          return executed;
        }
        Thread.sleep(100);
      }
    }
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  /** Waits until {@code check} holds, failing after {@link #WAIT_MS}. */
  private static void await(Check check) throws Exception {
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
    while (!check.holds()) {
      assertThat(System.nanoTime()).as("condition within %d ms", WAIT_MS).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static boolean all(Validator[] validators, java.util.function.Predicate<Validator> p) {
    for (Validator v : validators) {
      if (!p.test(v)) {
        return false;
      }
    }
    return true;
  }
}
