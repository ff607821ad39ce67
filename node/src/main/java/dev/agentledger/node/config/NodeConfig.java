package dev.agentledger.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How one validator process runs on its host.
 *
 * <pre>
 * format: agentledger-node/v1
 * validator_id: v0                 # its entry in the genesis committee
 * name: validator-0
 * key_file: validator.key          # Ed25519 key file (mode 0600), see KeyFile
 * genesis: genesis.yaml
 * data_dir: /var/lib/agentledger/v0
 * peer_listen: 0.0.0.0:7100        # validator-to-validator traffic
 * client_listen: 0.0.0.0:7200      # transaction submission
 * query_listen: 127.0.0.1:7300     # HTTP query and status API
 * metrics_listen: 127.0.0.1:7400   # Prometheus metrics
 * sig_backend: cpu                 # cpu | opencl | cuda | auto
 * cpus: 2-7                        # optional: pin the node's threads to these CPUs
 * threading: dedicated             # optional: dedicated | shared (node run --threading overrides)
 * min_free_disk_mib: 256           # optional: stop (exit 74) under N MiB free in data_dir's file
 *                                  #   system; 0: never (node run --min-free-disk-mib overrides)
 * agent_cores:                     # optional, dedicated only: pin each agent role's threads
 *   primary: 2                     #   roles: verify, worker, primary, execution, feed
 *   verify: 3-4
 * tls:                             # optional: TLS 1.3 on the client and query (HTTP) ports
 *   cert: tls/server.pem           # PEM certificate chain, leaf first
 *   key: tls/server.key            # its PEM private key (PKCS#8 or EC), mode 0600
 *   ca: tls/ca.pem                 # optional: the CA that clients reading this file trust
 * </pre>
 *
 * Relative paths are resolved against the directory of the configuration file when it is loaded, so
 * a generated node directory can be moved as a whole; the loaded record holds absolute paths.
 */
public record NodeConfig(
    String validatorId,
    String name,
    Path keyFile,
    Path genesis,
    Path dataDir,
    HostPort peerListen,
    HostPort clientListen,
    HostPort queryListen,
    HostPort metricsListen,
    SigBackend sigBackend,
    CpuList cpus,
    Tls tls,
    Agents agents,
    Long minFreeDiskMib) {

  /** The largest {@code min_free_disk_mib}: N MiB must fit in a long of bytes. */
  public static final long MAX_MIN_FREE_DISK_MIB = Long.MAX_VALUE >> 20;

  /** The format tag at the top of every node configuration file. */
  public static final String FORMAT = "agentledger-node/v1";

  /**
   * TLS of the client-facing ports: the server's certificate chain and key files, and the CA file
   * clients of this node trust (null when not given).
   */
  public record Tls(Path cert, Path key, Path ca) {}

  /** The agent roles {@code agent_cores} may name. */
  public static final List<String> AGENT_ROLES =
      List.of("verify", "worker", "primary", "execution", "feed");

  /** The threading modes {@code threading} may name. */
  public static final List<String> THREADING_MODES = List.of("dedicated", "shared");

  /**
   * How the node's agents are placed on threads.
   *
   * @param threading {@code dedicated} or {@code shared}; null: not set (the node's default)
   * @param cores CPUs by agent role (one of {@link #AGENT_ROLES}), for {@code dedicated}
   */
  public record Agents(String threading, Map<String, CpuList> cores) {
    /** Nothing set. */
    public static final Agents DEFAULT = new Agents(null, Map.of());

    public Agents {
      cores = Map.copyOf(cores);
    }
  }

  /** A configuration without {@code min_free_disk_mib} (the node's default floor). */
  public NodeConfig(
      String validatorId,
      String name,
      Path keyFile,
      Path genesis,
      Path dataDir,
      HostPort peerListen,
      HostPort clientListen,
      HostPort queryListen,
      HostPort metricsListen,
      SigBackend sigBackend,
      CpuList cpus,
      Tls tls,
      Agents agents) {
    this(
        validatorId,
        name,
        keyFile,
        genesis,
        dataDir,
        peerListen,
        clientListen,
        queryListen,
        metricsListen,
        sigBackend,
        cpus,
        tls,
        agents,
        null);
  }

  /** A configuration with TLS as given and the default agent placement. */
  public NodeConfig(
      String validatorId,
      String name,
      Path keyFile,
      Path genesis,
      Path dataDir,
      HostPort peerListen,
      HostPort clientListen,
      HostPort queryListen,
      HostPort metricsListen,
      SigBackend sigBackend,
      CpuList cpus,
      Tls tls) {
    this(
        validatorId,
        name,
        keyFile,
        genesis,
        dataDir,
        peerListen,
        clientListen,
        queryListen,
        metricsListen,
        sigBackend,
        cpus,
        tls,
        Agents.DEFAULT);
  }

  /** Plaintext client-facing ports. */
  public NodeConfig(
      String validatorId,
      String name,
      Path keyFile,
      Path genesis,
      Path dataDir,
      HostPort peerListen,
      HostPort clientListen,
      HostPort queryListen,
      HostPort metricsListen,
      SigBackend sigBackend,
      CpuList cpus) {
    this(
        validatorId,
        name,
        keyFile,
        genesis,
        dataDir,
        peerListen,
        clientListen,
        queryListen,
        metricsListen,
        sigBackend,
        cpus,
        null,
        Agents.DEFAULT);
  }

  /** This configuration with {@code newTls} (null: plaintext client-facing ports). */
  public NodeConfig withTls(Tls newTls) {
    return new NodeConfig(
        validatorId,
        name,
        keyFile,
        genesis,
        dataDir,
        peerListen,
        clientListen,
        queryListen,
        metricsListen,
        sigBackend,
        cpus,
        newTls,
        agents,
        minFreeDiskMib);
  }

  /** The HTTP query/status port. */
  public int queryPort() {
    return queryListen.port();
  }

  /** The metrics port. */
  public int metricsPort() {
    return metricsListen.port();
  }

  /** Loads and validates a node configuration; relative paths resolve against its directory. */
  public static NodeConfig load(Path path) throws ConfigException {
    Path base = path.toAbsolutePath().getParent();
    return fromTree(ConfigFiles.readTree(path), path.toString(), base);
  }

  /** Validates a parsed document; relative paths resolve against {@code baseDir}. */
  public static NodeConfig fromTree(JsonNode tree, String source, Path baseDir)
      throws ConfigException {
    Problems problems = new Problems();
    Section root = Section.of(tree, "", problems);
    if (root == null) {
      problems.throwIfAny(source);
    }
    String format = root.text("format");
    if (format != null && !FORMAT.equals(format)) {
      problems.add("format", "'" + format + "' is not " + FORMAT);
    }
    String id = root.text("validator_id");
    if (id != null && !Genesis.ID.matcher(id).matches()) {
      problems.add("validator_id", "'" + id + "' must match " + Genesis.ID.pattern());
    }
    String name = root.optionalText("name", id);
    Path keyFile = path(root, "key_file", baseDir);
    Path genesis = path(root, "genesis", baseDir);
    Path dataDir = path(root, "data_dir", baseDir);
    HostPort peer = root.hostPort("peer_listen");
    HostPort client = root.hostPort("client_listen");
    HostPort query = root.hostPort("query_listen");
    HostPort metrics = root.hostPort("metrics_listen");
    String backendName = root.optionalText("sig_backend", SigBackend.CPU.configName());
    SigBackend backend = backendName == null ? null : SigBackend.fromConfigName(backendName);
    if (backendName != null && backend == null) {
      problems.add("sig_backend", "'" + backendName + "' is not one of cpu, opencl, cuda, auto");
    }
    CpuList cpus = cpus(root);
    Tls tls = null;
    if (root.has("tls")) {
      Section section = root.child("tls");
      if (section != null) {
        Path cert = path(section, "cert", baseDir);
        Path key = path(section, "key", baseDir);
        JsonNode caValue = section.raw("ca");
        Path ca = caValue == null || caValue.isNull() ? null : path(section, "ca", baseDir);
        section.finish();
        tls = new Tls(cert, key, ca);
      }
    }
    Agents agents = agents(root);
    long floorMib = root.optionalInteger("min_free_disk_mib", 0, MAX_MIN_FREE_DISK_MIB, -1);
    Long minFreeDiskMib = floorMib < 0 ? null : floorMib;
    root.finish();

    Map<Integer, String> ports = new HashMap<>();
    distinctPort(ports, "peer_listen", peer, problems);
    distinctPort(ports, "client_listen", client, problems);
    distinctPort(ports, "query_listen", query, problems);
    distinctPort(ports, "metrics_listen", metrics, problems);
    problems.throwIfAny(source);
    return new NodeConfig(
        id,
        name,
        keyFile,
        genesis,
        dataDir,
        peer,
        client,
        query,
        metrics,
        backend,
        cpus,
        tls,
        agents,
        minFreeDiskMib);
  }

  private static Agents agents(Section root) {
    String threading = root.optionalText("threading", null);
    if (threading != null && !THREADING_MODES.contains(threading)) {
      root.problems().add("threading", "'" + threading + "' is not one of dedicated, shared");
    }
    Map<String, CpuList> cores = new java.util.TreeMap<>();
    JsonNode value = root.raw("agent_cores");
    if (value != null && !value.isNull()) {
      if (!value.isObject()) {
        root.problems()
            .add(
                "agent_cores",
                "must map agent roles to CPU lists (primary: 2), found " + Section.describe(value));
      } else {
        for (Map.Entry<String, JsonNode> e : value.properties()) {
          String field = "agent_cores." + e.getKey();
          if (!AGENT_ROLES.contains(e.getKey())) {
            root.problems()
                .add(field, "is not an agent role (one of " + String.join(", ", AGENT_ROLES) + ")");
            continue;
          }
          JsonNode item = e.getValue();
          if (!item.isTextual() && !item.isIntegralNumber()) {
            root.problems()
                .add(field, "must be a CPU list like 2-3, found " + Section.describe(item));
            continue;
          }
          try {
            CpuList list = CpuList.parse(item.asText());
            if (list.isEmpty()) {
              root.problems().add(field, "names no CPU");
            } else {
              cores.put(e.getKey(), list);
            }
          } catch (IllegalArgumentException ex) {
            root.problems().add(field, ex.getMessage());
          }
        }
      }
    }
    if (!cores.isEmpty() && "shared".equals(threading)) {
      root.problems().add("agent_cores", "pins agents only under threading: dedicated");
    }
    return new Agents(threading, cores);
  }

  private static Path path(Section root, String field, Path baseDir) {
    String text = root.text(field);
    if (text == null) {
      return null;
    }
    try {
      Path path = Path.of(text);
      return (path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path)).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      root.problems().add(root.pathOf(field), "'" + text + "' is not a path: " + e.getReason());
      return null;
    }
  }

  private static CpuList cpus(Section root) {
    JsonNode value = root.raw("cpus");
    if (value == null || value.isNull()) {
      return CpuList.empty();
    }
    try {
      if (value.isArray()) {
        int[] cpus = new int[value.size()];
        for (int i = 0; i < cpus.length; i++) {
          JsonNode item = value.get(i);
          if (!item.isIntegralNumber() || !item.canConvertToInt()) {
            root.problems()
                .add(
                    Problems.index("cpus", i),
                    "must be a CPU number, found " + Section.describe(item));
            return CpuList.empty();
          }
          cpus[i] = item.asInt();
        }
        return CpuList.of(cpus);
      }
      if (value.isTextual() || value.isIntegralNumber()) {
        return CpuList.parse(value.asText());
      }
      root.problems()
          .add("cpus", "must be a CPU list like 0-3,8, found " + Section.describe(value));
    } catch (IllegalArgumentException e) {
      root.problems().add("cpus", e.getMessage());
    }
    return CpuList.empty();
  }

  private static void distinctPort(
      Map<Integer, String> ports, String field, HostPort address, Problems problems) {
    if (address == null) {
      return;
    }
    String other = ports.putIfAbsent(address.port(), field);
    if (other != null) {
      problems.add(field, "port " + address.port() + " is already used by " + other);
    }
  }

  /** The document form; paths are written relative to {@code baseDir} when they lie under it. */
  public ObjectNode toTree(Path baseDir) {
    ObjectNode root = ConfigFiles.json().createObjectNode();
    root.put("format", FORMAT);
    root.put("validator_id", validatorId);
    root.put("name", name);
    root.put("key_file", relative(keyFile, baseDir));
    root.put("genesis", relative(genesis, baseDir));
    root.put("data_dir", relative(dataDir, baseDir));
    root.put("peer_listen", peerListen.toString());
    root.put("client_listen", clientListen.toString());
    root.put("query_listen", queryListen.toString());
    root.put("metrics_listen", metricsListen.toString());
    root.put("sig_backend", sigBackend.configName());
    if (!cpus.isEmpty()) {
      root.put("cpus", cpus.toString());
    }
    if (agents.threading() != null) {
      root.put("threading", agents.threading());
    }
    if (minFreeDiskMib != null) {
      root.put("min_free_disk_mib", minFreeDiskMib);
    }
    if (!agents.cores().isEmpty()) {
      ObjectNode section = root.putObject("agent_cores");
      new java.util.TreeMap<>(agents.cores())
          .forEach((role, list) -> section.put(role, list.toString()));
    }
    if (tls != null) {
      ObjectNode section = root.putObject("tls");
      section.put("cert", relative(tls.cert(), baseDir));
      section.put("key", relative(tls.key(), baseDir));
      if (tls.ca() != null) {
        section.put("ca", relative(tls.ca(), baseDir));
      }
    }
    return root;
  }

  private static String relative(Path path, Path baseDir) {
    // in memory, a relative path is relative to the working directory (as loaded or as built by
    // cluster init with a relative --out); in the file it must be relative to the file's directory
    Path absolute = path.toAbsolutePath().normalize();
    if (baseDir != null && absolute.startsWith(baseDir.toAbsolutePath().normalize())) {
      return baseDir.toAbsolutePath().normalize().relativize(absolute).toString();
    }
    return path.isAbsolute() ? path.toString() : absolute.toString();
  }

  /** Validates, then writes to a new file (paths relative to its directory); never overwrites. */
  public void write(Path path) throws IOException {
    Path base = path.toAbsolutePath().getParent();
    ObjectNode tree = toTree(base);
    fromTree(tree, path.toString(), base);
    ConfigFiles.writeNew(path, ConfigFiles.render(path, tree));
  }
}
