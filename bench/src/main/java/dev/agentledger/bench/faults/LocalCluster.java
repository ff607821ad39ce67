package dev.agentledger.bench.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentledger.bench.demo.NodeLauncher;
import dev.agentledger.bench.demo.ProcessSupervisor;
import dev.agentledger.bench.demo.Readiness;
import dev.agentledger.bench.loadgen.cluster.ClusterDir;
import dev.agentledger.deploy.cluster.ClusterInit;
import dev.agentledger.deploy.cluster.ClusterLayout;
import dev.agentledger.deploy.cluster.SystemdUnit;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.NodeConfig;
import dev.agentledger.node.execution.core.FeeSchedule;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A local cluster of real validator processes for the fault suite: {@code cluster init} (with load
 * agents) writes it, each validator runs as its own JVM ({@code node run}) under a {@link
 * ProcessSupervisor}, and a {@link PeerProxy} sits on every directed link: each node's own copy of
 * the genesis names, for every other validator, the port of the proxy of that link ({@link
 * #proxyPort}), which relays to the validator's real peer port. Addresses are not part of the
 * replicated state (the committee's keys and stakes are), so the copies differ only in where a node
 * dials. Validators can be killed with SIGKILL and started again on their data; one validator's
 * data directory can be a small tmpfs (when root) so that its disk can be filled. {@link #close()}
 * stops every process, proxy and mount it made; a shutdown hook calls it on Ctrl-C.
 */
public final class LocalCluster implements AutoCloseable {
  /** Offset of the first link proxy's port from the base port. */
  static final int PROXY_OFFSET = 400;

  private static final String HOST = "127.0.0.1";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final ClusterDir cluster;
  private final String heap;
  private final List<String> nodeArgs;
  private final List<String> jvmFlags;
  private final ProcessSupervisor supervisor = new ProcessSupervisor(Duration.ofSeconds(10));
  private final java.util.Map<Integer, PeerProxy> links = new java.util.HashMap<>();
  private final List<Path> mounts = new ArrayList<>();
  private final int basePort;
  private final int[] realPeerPorts;

  /** Validators moved into a network namespace ({@link #isolate}), by index. */
  private final java.util.Map<Integer, Isolated> isolated = new java.util.HashMap<>();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Thread hook = new Thread(this::close, "faults-cluster-shutdown");
  private boolean closed;

  private LocalCluster(
      Path dir,
      ClusterDir cluster,
      String heap,
      List<String> jvmFlags,
      List<String> nodeArgs,
      int basePort,
      int[] realPeerPorts) {
    Runtime.getRuntime().addShutdownHook(hook);
    this.basePort = basePort;
    this.realPeerPorts = realPeerPorts.clone();
    this.dir = dir;
    this.cluster = cluster;
    this.heap = heap;
    this.jvmFlags = List.copyOf(jvmFlags);
    this.nodeArgs = List.copyOf(nodeArgs);
  }

  /**
   * Writes a cluster of {@code validators} into {@code dir} (which must not hold one), puts a proxy
   * in front of every peer port, and mounts a tmpfs of {@code tmpfsBytes} as the data directory of
   * validator {@code tmpfsVictim} ({@code -1}: none). Starts no validator.
   */
  public static LocalCluster create(
      Path dir,
      int validators,
      int basePort,
      int loadAgents,
      String heap,
      List<String> nodeArgs,
      int tmpfsVictim,
      long tmpfsBytes)
      throws Exception {
    return create(
        dir, validators, basePort, loadAgents, heap, List.of(), nodeArgs, tmpfsVictim, tmpfsBytes);
  }

  /**
   * {@link #create(Path, int, int, int, String, List, int, long)} with {@code jvmFlags} on every
   * validator's java command line.
   */
  public static LocalCluster create(
      Path dir,
      int validators,
      int basePort,
      int loadAgents,
      String heap,
      List<String> jvmFlags,
      List<String> nodeArgs,
      int tmpfsVictim,
      long tmpfsBytes)
      throws Exception {
    ClusterInit.Options options =
        new ClusterInit.Options(
            1 + new SecureRandom().nextLong(Integer.MAX_VALUE),
            1_000_000,
            FeeSchedule.defaults(),
            List.of(),
            1_000_000_000_000L,
            false,
            SystemdUnit.Options.defaults(),
            loadAgents,
            10_000_000_000_000L);
    ClusterInit.write(
        dir,
        ClusterLayout.plan(validators, ClusterLayout.localHosts(), basePort, true),
        options,
        new SecureRandom());
    ClusterDir cluster = ClusterDir.read(dir);
    int n = validators;
    int[] real = new int[n];
    for (int j = 0; j < n; j++) {
      real[j] = cluster.genesis().committee().get(j).peerAddress().port();
    }
    LocalCluster local = new LocalCluster(dir, cluster, heap, jvmFlags, nodeArgs, basePort, real);
    try {
      for (int i = 0; i < n; i++) {
        Path genesis = dir.resolve("v" + i).resolve("genesis.yaml");
        String text = Files.readString(genesis);
        for (int j = 0; j < n; j++) {
          if (j == i) {
            continue;
          }
          String from = "peer_address: " + HOST + ":" + real[j] + "\n";
          if (!text.contains(from)) {
            throw new IOException(genesis + ": no '" + from.strip() + "' to point at a proxy");
          }
          text =
              text.replace(from, "peer_address: " + HOST + ":" + proxyPort(basePort, i, j) + "\n");
        }
        Files.writeString(genesis, text);
        Genesis check = Genesis.load(genesis);
        for (int j = 0; j < n; j++) {
          int expected = j == i ? real[j] : proxyPort(basePort, i, j);
          if (check.committee().get(j).peerAddress().port() != expected) {
            throw new IOException(genesis + ": committee[" + j + "] not pointed at its proxy");
          }
        }
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          local.links.put(
              i * n + j,
              i == j
                  ? null
                  : new PeerProxy("v" + i + "-v" + j, proxyPort(basePort, i, j), real[j]));
        }
      }
      if (tmpfsVictim >= 0) {
        Path data = local.dataDir(tmpfsVictim);
        Files.createDirectories(data);
        run("mount", "-t", "tmpfs", "-o", "size=" + tmpfsBytes, "tmpfs", data.toString());
        local.mounts.add(data);
      }
    } catch (Exception e) {
      local.close();
      throw e;
    }
    return local;
  }

  Path dir() {
    return dir;
  }

  /** The first port of the cluster's range. */
  int basePort() {
    return basePort;
  }

  public ClusterDir cluster() {
    return cluster;
  }

  public int size() {
    return cluster.clients().size();
  }

  ProcessSupervisor supervisor() {
    return supervisor;
  }

  /**
   * The port of the proxy that validator {@code from} dials to reach validator {@code to}: {@code
   * base + 400 + 10 * from + to}.
   */
  static int proxyPort(int basePort, int from, int to) {
    return basePort + PROXY_OFFSET + 10 * from + to;
  }

  /** The proxy on the link that validator {@code from} dials to reach {@code to}. */
  PeerProxy link(int from, int to) {
    return links.get(from * size() + to);
  }

  /** Cuts every peer link of validator {@code v}, both directions. */
  void cutOff(int v) {
    for (int o = 0; o < size(); o++) {
      if (o != v) {
        link(v, o).cut();
        link(o, v).cut();
      }
    }
  }

  /** Relays every link again. */
  void healAll() {
    for (PeerProxy p : links.values()) {
      if (p != null) {
        p.heal();
      }
    }
  }

  /** Links set up through the proxies of validator {@code v} since start, both directions. */
  long linksSetUp(int v) {
    long n = 0;
    for (int o = 0; o < size(); o++) {
      if (o != v) {
        n += link(v, o).acceptedConnections() + link(o, v).acceptedConnections();
      }
    }
    return n;
  }

  Path dataDir(int i) throws Exception {
    return NodeConfig.load(dir.resolve("v" + i).resolve("node.yaml")).dataDir();
  }

  public Path log(int i) {
    return dir.resolve("v" + i).resolve("node.log");
  }

  /** Starts validator {@code i} ({@code node run} in its own JVM, log appended to its node.log). */
  public void start(int i) throws IOException {
    start(i, heap);
  }

  /**
   * {@link #start(int)} with a heap of {@code heapSize} instead of the cluster's (inside its
   * network namespace when {@link #isolate isolated}).
   */
  public void start(int i, String heapSize) throws IOException {
    Path nodeDir = dir.resolve("v" + i);
    List<String> command =
        NodeLauncher.nodeRun(nodeDir.resolve("node.yaml"), heapSize, jvmFlags, nodeArgs);
    Isolated in = isolated.get(i);
    supervisor.start(
        "v" + i,
        in == null ? command : in.namespace().exec(command),
        NodeLauncher.nodeEnvironment(),
        nodeDir,
        nodeDir.resolve("node.log"));
  }

  /**
   * A validator moved into a network namespace: the namespace, the files as they were, and the
   * forwarders that keep its client and query ports on the host's loopback.
   */
  private record Isolated(
      NetNamespace namespace, String nodeYaml, String genesisYaml, List<PeerProxy> forwarders) {}

  /**
   * Moves validator {@code v}, which must not run, into a network namespace of its own ({@link
   * NetNamespace}), joined to the host by a veth pair, so that {@link #cutIp} can cut it off at the
   * IP level. Its node.yaml listens on the namespace's address; its genesis names the host end's
   * address for its outbound links' proxies, which listen there; the proxies of the others' links
   * to it relay to the namespace's address; and forwarders on the host's loopback relay its client
   * and query ports, so that the load and the checks reach it where they always do. {@link
   * #restore} undoes it all.
   */
  NetNamespace isolate(int v) throws Exception {
    if (isolated.containsKey(v)) {
      return isolated.get(v).namespace();
    }
    Path nodeYaml = dir.resolve("v" + v).resolve("node.yaml");
    Path genesisYaml = dir.resolve("v" + v).resolve("genesis.yaml");
    String node = Files.readString(nodeYaml);
    String genesis = Files.readString(genesisYaml);
    NetNamespace ns = NetNamespace.create(basePort, v);
    List<PeerProxy> forwarders = new ArrayList<>();
    isolated.put(v, new Isolated(ns, node, genesis, forwarders));
    String inside = ns.namespaceAddress().getHostAddress();
    String hostEnd = ns.hostAddress().getHostAddress();
    String moved = node;
    for (String key : List.of("peer_listen", "client_listen", "query_listen", "metrics_listen")) {
      moved = moved.replace(key + ": " + HOST + ":", key + ": " + inside + ":");
    }
    Files.writeString(nodeYaml, moved);
    String redirected = genesis;
    java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
    for (int o = 0; o < size(); o++) {
      if (o == v) {
        continue;
      }
      int out = proxyPort(basePort, v, o);
      redirected =
          redirected.replace(
              "peer_address: " + HOST + ":" + out + "\n",
              "peer_address: " + hostEnd + ":" + out + "\n");
      relink(
          v,
          o,
          new InetSocketAddress(ns.hostAddress(), out),
          new InetSocketAddress(loopback, realPeerPorts[o]));
      relink(
          o,
          v,
          new InetSocketAddress(loopback, proxyPort(basePort, o, v)),
          new InetSocketAddress(ns.namespaceAddress(), realPeerPorts[v]));
    }
    Files.writeString(genesisYaml, redirected);
    for (InetSocketAddress port : List.of(cluster.clients().get(v), cluster.queries().get(v))) {
      forwarders.add(
          new PeerProxy(
              "v" + v + "-" + port.getPort(),
              new InetSocketAddress(loopback, port.getPort()),
              new InetSocketAddress(ns.namespaceAddress(), port.getPort())));
    }
    return ns;
  }

  /** Replaces the proxy of link {@code from -> to} with one on {@code listen} to {@code target}. */
  private void relink(int from, int to, InetSocketAddress listen, InetSocketAddress target)
      throws IOException {
    PeerProxy old = links.put(from * size() + to, null);
    if (old != null) {
      old.close();
    }
    links.put(from * size() + to, new PeerProxy("v" + from + "-v" + to, listen, target));
  }

  /** Whether validator {@code v} runs in a network namespace ({@link #isolate}). */
  boolean isolated(int v) {
    return isolated.containsKey(v);
  }

  /** Cuts isolated validator {@code v} off at the IP level (its veth pair goes down). */
  void cutIp(int v) throws IOException, InterruptedException {
    isolated.get(v).namespace().cut();
  }

  /** Carries isolated validator {@code v}'s packets again. */
  void healIp(int v) throws IOException, InterruptedException {
    isolated.get(v).namespace().heal();
  }

  /**
   * Undoes {@link #isolate} for validator {@code v}, which must not run: its files as they were,
   * the loopback proxies, no forwarders, the namespace deleted.
   */
  void restore(int v) throws Exception {
    Isolated in = isolated.remove(v);
    if (in == null) {
      return;
    }
    for (PeerProxy f : in.forwarders()) {
      f.close();
    }
    Files.writeString(dir.resolve("v" + v).resolve("node.yaml"), in.nodeYaml());
    Files.writeString(dir.resolve("v" + v).resolve("genesis.yaml"), in.genesisYaml());
    java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
    for (int o = 0; o < size(); o++) {
      if (o == v) {
        continue;
      }
      relink(
          v,
          o,
          new InetSocketAddress(loopback, proxyPort(basePort, v, o)),
          new InetSocketAddress(loopback, realPeerPorts[o]));
      relink(
          o,
          v,
          new InetSocketAddress(loopback, proxyPort(basePort, o, v)),
          new InetSocketAddress(loopback, realPeerPorts[v]));
    }
    in.namespace().close();
  }

  /** The validators moved into namespaces. */
  List<Integer> isolatedValidators() {
    return List.copyOf(isolated.keySet());
  }

  /** SIGKILLs validator {@code i}; returns its exit status. */
  int kill(int i) throws InterruptedException {
    return supervisor.kill("v" + i);
  }

  public boolean alive(int i) {
    ProcessSupervisor.Child child = supervisor.child("v" + i);
    return child != null && child.process().isAlive();
  }

  /** The process id of validator {@code i}'s JVM, or -1 when it does not run. */
  public long pid(int i) {
    ProcessSupervisor.Child child = supervisor.child("v" + i);
    return child != null && child.process().isAlive() ? child.process().pid() : -1;
  }

  /**
   * Waits until each of {@code which} serves (client STATUS with {@code peers} peers connected,
   * query API up).
   *
   * @return null when ready, else why not
   */
  public String awaitReady(List<Integer> which, int peers, Duration timeout)
      throws InterruptedException {
    List<BooleanSupplier> probes = new ArrayList<>();
    for (int i : which) {
      probes.add(Readiness.validator(cluster.clients().get(i), cluster.queries().get(i), peers));
    }
    return Readiness.awaitAll(probes, supervisor, timeout);
  }

  /**
   * {@code GET path} on validator {@code i}'s query port as JSON, or null when it does not answer
   * 200.
   */
  public JsonNode get(int i, String path) {
    InetSocketAddress q = cluster.queries().get(i);
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + q.getHostString() + ":" + q.getPort() + path))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The latest commit sequence validator {@code i} stores, or -1 when it does not answer. */
  public long latestCommit(int i) {
    JsonNode page = get(i, "/v1/commits?from=1&limit=1");
    return page == null ? -1 : page.path("latest").asLong(-1);
  }

  /** The highest commit sequence any running validator stores (0 when none answers). */
  public long highestCommit() {
    long highest = 0;
    for (int i = 0; i < size(); i++) {
      if (alive(i)) {
        highest = Math.max(highest, latestCommit(i));
      }
    }
    return highest;
  }

  /**
   * Transactions in the commits {@code (after, upTo]}, read from the first running validator that
   * stores {@code upTo}; -1 when none does.
   */
  public long transactionsCommitted(long after, long upTo) {
    for (int i = 0; i < size(); i++) {
      if (!alive(i) || latestCommit(i) < upTo) {
        continue;
      }
      long total = 0;
      boolean complete = true;
      for (long from = after + 1; from <= upTo && complete; from += 1000) {
        JsonNode page = get(i, "/v1/commits?from=" + from + "&limit=1000");
        if (page == null) {
          complete = false;
          break;
        }
        for (JsonNode c : page.path("commits")) {
          if (c.path("sequence").asLong() <= upTo) {
            total += c.path("transactions").asLong();
          }
        }
      }
      if (complete) {
        return total;
      }
    }
    return -1;
  }

  /**
   * Validator {@code i}'s peers reported connected in its status, or -1 when it does not answer.
   */
  int connectedPeers(int i) {
    JsonNode status = get(i, "/status");
    if (status == null) {
      return -1;
    }
    int connected = 0;
    for (JsonNode peer : status.path("peers")) {
      connected += peer.path("connected").asBoolean() ? 1 : 0;
    }
    return connected;
  }

  /**
   * Compares the commit hashes of every answering validator at every height they all store.
   *
   * @return the heights compared, or a negative number when two validators disagree at some height
   *     (minus that height) or fewer than two validators answered ({@link Long#MIN_VALUE})
   */
  public long compareChains() {
    List<Integer> answering = new ArrayList<>();
    long common = Long.MAX_VALUE;
    for (int i = 0; i < size(); i++) {
      long latest = alive(i) ? latestCommit(i) : -1;
      if (latest >= 0) {
        answering.add(i);
        common = Math.min(common, latest);
      }
    }
    if (answering.size() < 2) {
      return Long.MIN_VALUE;
    }
    long compared = 0;
    for (long from = 1; from <= common; from += 1000) {
      List<String> reference = null;
      for (int i : answering) {
        JsonNode page = get(i, "/v1/commits?from=" + from + "&limit=1000");
        if (page == null) {
          continue;
        }
        List<String> hashes = new ArrayList<>();
        for (JsonNode c : page.path("commits")) {
          if (c.path("sequence").asLong() <= common) {
            hashes.add(c.path("hash").asText());
          }
        }
        if (reference == null) {
          reference = hashes;
          continue;
        }
        int n = Math.min(reference.size(), hashes.size());
        for (int k = 0; k < n; k++) {
          if (!reference.get(k).equals(hashes.get(k))) {
            return -(from + k);
          }
        }
      }
      compared += reference == null ? 0 : reference.size();
    }
    return compared;
  }

  /** Runs a command and fails with its output unless it exits 0. */
  static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output.strip());
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down: this is the hook
    }
    supervisor.close();
    for (PeerProxy proxy : links.values()) {
      if (proxy != null) {
        proxy.close();
      }
    }
    for (Isolated in : isolated.values()) {
      for (PeerProxy f : in.forwarders()) {
        f.close();
      }
      in.namespace().close();
    }
    for (Path mount : mounts) {
      try {
        run("umount", "-l", mount.toString());
      } catch (IOException e) {
        System.err.println("could not unmount " + mount + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    http.close();
  }
}
