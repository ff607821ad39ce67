package dev.agentledger.deploy.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.config.ConfigFiles;
import dev.agentledger.node.config.CpuList;
import dev.agentledger.node.config.HostPort;
import dev.agentledger.node.config.Problems;
import dev.agentledger.node.config.Section;
import dev.agentledger.node.config.SigBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of a hosts file: where validators run and, optionally, how. Unset fields (null or 0)
 * fall back to the file's {@code defaults:} and then to the cluster defaults.
 *
 * <pre>
 * defaults: {data_dir: /data/agentledger, backend: cpu}
 * hosts:
 *   - 10.0.0.1                       # a bare name or address
 *   - address: 10.0.0.2
 *     name: rack1-node2              # inventory name (default: the address)
 *     listen_host: 0.0.0.0           # default: the address when it is an IP, else 0.0.0.0
 *     peer_port: 7100                # also client_port, query_port, metrics_port
 *     data_dir: /nvme0/agentledger
 *     backend: cuda                  # cpu | opencl | cuda
 *     cpus: 2-15
 * </pre>
 */
public record HostSpec(
    String name,
    String address,
    String listenHost,
    int peerPort,
    int clientPort,
    int queryPort,
    int metricsPort,
    Path dataDir,
    SigBackend backend,
    CpuList cpus) {

  static final List<String> SETTINGS =
      List.of(
          "listen_host",
          "peer_port",
          "client_port",
          "query_port",
          "metrics_port",
          "data_dir",
          "backend",
          "cpus");

  /** A host given only by its address. */
  public static HostSpec of(String address) {
    return new HostSpec(address, address, null, 0, 0, 0, 0, null, null, null);
  }

  /** This host with every unset field taken from {@code defaults}. */
  HostSpec withDefaults(HostSpec defaults) {
    return new HostSpec(
        name,
        address,
        listenHost != null ? listenHost : defaults.listenHost,
        peerPort != 0 ? peerPort : defaults.peerPort,
        clientPort != 0 ? clientPort : defaults.clientPort,
        queryPort != 0 ? queryPort : defaults.queryPort,
        metricsPort != 0 ? metricsPort : defaults.metricsPort,
        dataDir != null ? dataDir : defaults.dataDir,
        backend != null ? backend : defaults.backend,
        cpus != null ? cpus : defaults.cpus);
  }

  /** Loads a hosts file: a list under {@code hosts:} and optional {@code defaults:}. */
  public static List<HostSpec> load(Path path) throws ConfigException {
    return fromTree(ConfigFiles.readTree(path), path.toString());
  }

  public static List<HostSpec> fromTree(JsonNode tree, String source) throws ConfigException {
    Problems problems = new Problems();
    Section root = Section.of(tree, "", problems);
    if (root == null) {
      problems.throwIfAny(source);
    }
    HostSpec defaults = null;
    if (root.has("defaults")) {
      Section section = root.child("defaults");
      if (section != null) {
        defaults = settings(section, null, null);
        section.finish();
      }
    } else {
      root.raw("defaults");
    }
    List<JsonNode> items = root.list("hosts", true);
    if (items.isEmpty() && root.has("hosts")) {
      problems.add("hosts", "must list at least one host");
    }
    root.finish();
    List<HostSpec> hosts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String path = Problems.index("hosts", i);
      JsonNode item = items.get(i);
      HostSpec host;
      if (item.isTextual()) {
        String problem = HostPort.hostProblem(item.asText().strip());
        if (problem != null) {
          problems.add(path, problem);
          continue;
        }
        host = HostSpec.of(item.asText().strip());
      } else {
        Section section = Section.of(item, path, problems);
        if (section == null) {
          continue;
        }
        String address = section.host("address");
        String name = section.optionalText("name", address);
        host = settings(section, name, address);
        section.finish();
        if (address == null) {
          continue;
        }
      }
      if (names.contains(host.name())) {
        problems.add(
            Problems.child(path, "name"),
            "'" + host.name() + "' is already used by hosts[" + names.indexOf(host.name()) + "]");
      }
      names.add(host.name());
      hosts.add(defaults == null ? host : host.withDefaults(defaults));
    }
    problems.throwIfAny(source);
    return hosts;
  }

  private static HostSpec settings(Section section, String name, String address) {
    String listenHost =
        section.has("listen_host") ? section.host("listen_host") : mark(section, "listen_host");
    int peer = section.optionalPort("peer_port", 0);
    int client = section.optionalPort("client_port", 0);
    int query = section.optionalPort("query_port", 0);
    int metrics = section.optionalPort("metrics_port", 0);
    Path dataDir = null;
    if (section.has("data_dir")) {
      String text = section.text("data_dir");
      if (text != null) {
        dataDir = Path.of(text);
        if (!dataDir.isAbsolute()) {
          section
              .problems()
              .add(
                  section.pathOf("data_dir"),
                  "'" + text + "' must be an absolute path on the host");
        }
      }
    } else {
      section.raw("data_dir");
    }
    SigBackend backend = null;
    if (section.has("backend")) {
      String text = section.text("backend");
      backend = text == null ? null : SigBackend.fromConfigName(text);
      if (text != null && backend == null) {
        section
            .problems()
            .add(section.pathOf("backend"), "'" + text + "' is not one of cpu, opencl, cuda");
      }
    } else {
      section.raw("backend");
    }
    CpuList cpus = null;
    if (section.has("cpus")) {
      JsonNode value = section.raw("cpus");
      try {
        cpus = CpuList.parse(value.asText());
      } catch (IllegalArgumentException e) {
        section.problems().add(section.pathOf("cpus"), e.getMessage());
      }
    } else {
      section.raw("cpus");
    }
    return new HostSpec(
        name, address, listenHost, peer, client, query, metrics, dataDir, backend, cpus);
  }

  private static String mark(Section section, String field) {
    section.raw(field);
    return null;
  }
}
