package dev.agentledger.deploy.cluster;

import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.config.CpuList;
import dev.agentledger.node.config.HostPort;
import dev.agentledger.node.config.Problems;
import dev.agentledger.node.config.SigBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans a cluster: which validator runs on which host, with which ports, data directory, backend
 * and CPUs. Pure: no files, no keys; {@link ClusterInit} writes the plan out.
 *
 * <p>Validators are assigned to hosts round-robin. The k-th validator on a host uses the host's
 * ports plus k (so several validators can share a machine, as in the local demo); the host's CPU
 * list is split into k contiguous, disjoint parts. Data directories are {@code <host
 * data_dir>/<validator id>}, by default {@code /var/lib/agentledger/<id>}; without hosts (the local
 * demo) they are {@code data} inside each node's directory.
 */
public final class ClusterLayout {
  /** Default base port: peer = base, client = base+100, query = base+200, metrics = base+300. */
  public static final int DEFAULT_BASE_PORT = 7100;

  /** Default root of the data directories on real hosts. */
  public static final Path DEFAULT_DATA_ROOT = Path.of("/var/lib/agentledger");

  /** The most validators that may share one host (ports are spaced by 100). */
  public static final int MAX_PER_HOST = 100;

  /** A validator as planned. */
  public record PlannedNode(
      String id,
      String name,
      int hostIndex,
      String hostName,
      HostPort peerAddress,
      HostPort clientAddress,
      HostPort peerListen,
      HostPort clientListen,
      HostPort queryListen,
      HostPort metricsListen,
      Path dataDir,
      SigBackend backend,
      CpuList cpus) {}

  private ClusterLayout() {}

  /** The hosts of a local demo: one, 127.0.0.1. */
  public static List<HostSpec> localHosts() {
    return List.of(HostSpec.of("127.0.0.1"));
  }

  /**
   * Plans {@code validators} validators over {@code hosts}.
   *
   * @param local true for the local demo (relative data directories inside each node directory)
   * @throws ConfigException when the hosts cannot hold them (port range, CPU lists, collisions)
   */
  public static List<PlannedNode> plan(
      int validators, List<HostSpec> hosts, int basePort, boolean local) throws ConfigException {
    Problems problems = new Problems();
    if (validators < 1) {
      problems.add("validators", validators + " is not a positive count");
    }
    if (hosts.isEmpty()) {
      problems.add("hosts", "must list at least one host");
    }
    if (!HostPort.isPort(basePort) || !HostPort.isPort(basePort + 300L + MAX_PER_HOST - 1)) {
      problems.add(
          "base_port",
          basePort
              + " leaves no room for 4 port ranges of "
              + MAX_PER_HOST
              + " (1.."
              + (65535 - 399)
              + ")");
    }
    if (!problems.isEmpty()) {
      problems.throwIfAny("cluster");
    }
    if (validators > hosts.size() * MAX_PER_HOST) {
      problems.add(
          "validators",
          validators
              + " validators need more than "
              + MAX_PER_HOST
              + " per host on "
              + hosts.size()
              + " host(s)");
      problems.throwIfAny("cluster");
    }
    int[] perHost = new int[hosts.size()];
    for (int i = 0; i < validators; i++) {
      perHost[i % hosts.size()]++;
    }
    List<PlannedNode> nodes = new ArrayList<>();
    Map<String, Map<Integer, String>> portsByAddress = new HashMap<>();
    for (int i = 0; i < validators; i++) {
      int h = i % hosts.size();
      int slot = i / hosts.size();
      HostSpec host = hosts.get(h);
      String path = Problems.index("hosts", h);
      String id = "v" + i;
      int peer = port(host.peerPort(), basePort, slot, Problems.child(path, "peer_port"), problems);
      int client =
          port(
              host.clientPort(),
              basePort + 100,
              slot,
              Problems.child(path, "client_port"),
              problems);
      int query =
          port(
              host.queryPort(), basePort + 200, slot, Problems.child(path, "query_port"), problems);
      int metrics =
          port(
              host.metricsPort(),
              basePort + 300,
              slot,
              Problems.child(path, "metrics_port"),
              problems);
      Map<Integer, String> used =
          portsByAddress.computeIfAbsent(host.address(), a -> new LinkedHashMap<>());
      claim(used, peer, id + " peer", path, problems);
      claim(used, client, id + " client", path, problems);
      claim(used, query, id + " query", path, problems);
      claim(used, metrics, id + " metrics", path, problems);
      String listenHost =
          host.listenHost() != null
              ? host.listenHost()
              : (isIpLiteral(host.address()) ? host.address() : "0.0.0.0");
      Path dataDir =
          local
              ? Path.of("data")
              : (host.dataDir() != null ? host.dataDir() : DEFAULT_DATA_ROOT).resolve(id);
      SigBackend backend = host.backend() != null ? host.backend() : SigBackend.CPU;
      CpuList cpus = CpuList.empty();
      if (host.cpus() != null && !host.cpus().isEmpty()) {
        int[] all = host.cpus().toArray();
        if (all.length < perHost[h]) {
          problems.add(
              Problems.child(path, "cpus"),
              host.cpus() + " has " + all.length + " CPUs for " + perHost[h] + " validators");
        } else {
          int from = slot * all.length / perHost[h];
          int to = (slot + 1) * all.length / perHost[h];
          cpus = CpuList.of(java.util.Arrays.copyOfRange(all, from, to));
        }
      }
      if (peer == 0 || client == 0 || query == 0 || metrics == 0) {
        continue;
      }
      nodes.add(
          new PlannedNode(
              id,
              "validator-" + i,
              h,
              host.name(),
              new HostPort(host.address(), peer),
              new HostPort(host.address(), client),
              new HostPort(listenHost, peer),
              new HostPort(listenHost, client),
              new HostPort(listenHost, query),
              new HostPort(listenHost, metrics),
              dataDir,
              backend,
              cpus));
    }
    problems.throwIfAny("cluster");
    return nodes;
  }

  private static int port(int hostPort, int basePort, int slot, String path, Problems problems) {
    long port = (long) (hostPort != 0 ? hostPort : basePort) + slot;
    if (!HostPort.isPort(port)) {
      problems.add(
          path, HostPort.portProblem(port) + " for validator slot " + slot + " on this host");
      return 0;
    }
    return (int) port;
  }

  private static void claim(
      Map<Integer, String> used, int port, String what, String path, Problems problems) {
    if (port == 0) {
      return;
    }
    String other = used.putIfAbsent(port, what);
    if (other != null) {
      problems.add(
          path,
          "port "
              + port
              + " for "
              + what
              + " is already taken by "
              + other
              + " on the same address");
    }
  }

  static boolean isIpLiteral(String address) {
    return address.indexOf(':') >= 0 || address.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }
}
