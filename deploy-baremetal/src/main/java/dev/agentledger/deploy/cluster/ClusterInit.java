package dev.agentledger.deploy.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.deploy.cluster.ClusterLayout.PlannedNode;
import dev.agentledger.node.committee.Committee.Delegation;
import dev.agentledger.node.config.Account;
import dev.agentledger.node.config.Balance;
import dev.agentledger.node.config.ConfigFiles;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.LoadAgents;
import dev.agentledger.node.config.NodeConfig;
import dev.agentledger.node.config.Validator;
import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.keys.KeyFile;
import dev.agentledger.node.net.tls.LabCa;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the files of a planned cluster into one output directory:
 *
 * <pre>
 * OUT/genesis.yaml                      the genesis (also copied into each node directory)
 * OUT/admin.key                         the first admin's key (0600), unless admins were given
 * OUT/load-agents.seed                  master seed of the load agents (0600), with load agents
 * OUT/inventory.yaml                    Ansible inventory: hosts and the validators on each
 * OUT/agentledger.sysusers.conf         the service user (with --systemd)
 * OUT/&lt;id&gt;/node.yaml                   the node configuration (paths relative to it)
 * OUT/&lt;id&gt;/validator.key               the validator's key (0600)
 * OUT/&lt;id&gt;/genesis.yaml
 * OUT/&lt;id&gt;/agentledger-&lt;id&gt;.service   the systemd unit (with --systemd)
 * OUT/&lt;id&gt;/agentledger-&lt;id&gt;.tmpfiles.conf
 * OUT/ca.pem                            the lab CA certificate (with --tls)
 * OUT/&lt;id&gt;/tls/server.pem             the node's server certificate (with --tls)
 * OUT/&lt;id&gt;/tls/server.key             its private key (0600)
 * OUT/&lt;id&gt;/tls/ca.pem                 the lab CA again, which clients reading node.yaml trust
 * </pre>
 *
 * With TLS, a {@link LabCa} (ECDSA P-256) is made in memory, its key never written, and each node
 * gets a certificate naming the hosts its client and query ports are reached by (the advertised
 * client host, and each listen host, loopback and localhost for a wildcard); node.yaml's {@code
 * tls} section names the files.
 *
 * <p>Each node directory is self-contained: copied to {@code /etc/agentledger/<id>/} on its host it
 * is what the unit expects. Nothing is ever overwritten: if any of these files exists, nothing is
 * written at all.
 */
public final class ClusterInit {
  /** What to put into the genesis and the units. */
  public record Options(
      long chainId,
      long stakePerValidator,
      FeeSchedule fees,
      List<String> admins,
      long adminBalanceMicros,
      boolean systemd,
      SystemdUnit.Options unitOptions,
      int loadAgents,
      long loadAgentBalanceMicros,
      List<String> agents,
      long agentBalanceMicros,
      boolean tls) {
    /** Plaintext client-facing ports. */
    public Options(
        long chainId,
        long stakePerValidator,
        FeeSchedule fees,
        List<String> admins,
        long adminBalanceMicros,
        boolean systemd,
        SystemdUnit.Options unitOptions,
        int loadAgents,
        long loadAgentBalanceMicros,
        List<String> agents,
        long agentBalanceMicros) {
      this(
          chainId,
          stakePerValidator,
          fees,
          admins,
          adminBalanceMicros,
          systemd,
          unitOptions,
          loadAgents,
          loadAgentBalanceMicros,
          agents,
          agentBalanceMicros,
          false);
    }

    /** These options with TLS on the client-facing ports on or off. */
    public Options withTls(boolean on) {
      return new Options(
          chainId,
          stakePerValidator,
          fees,
          admins,
          adminBalanceMicros,
          systemd,
          unitOptions,
          loadAgents,
          loadAgentBalanceMicros,
          agents,
          agentBalanceMicros,
          on);
    }

    public Options {
      agents = List.copyOf(agents);
      if (agentBalanceMicros < 0) {
        throw new IllegalArgumentException("agent balance must not be negative");
      }
      if (!agents.isEmpty() && agentBalanceMicros > Long.MAX_VALUE / 4 / agents.size()) {
        throw new IllegalArgumentException("agents x balance must stay below a quarter of 2^63");
      }
      if (loadAgents < 0 || loadAgents > LoadAgents.MAX_COUNT) {
        throw new IllegalArgumentException(
            "load agents: " + loadAgents + " is out of range (0.." + LoadAgents.MAX_COUNT + ")");
      }
      if (loadAgentBalanceMicros < 0) {
        throw new IllegalArgumentException("load agent balance must not be negative");
      }
      if (loadAgents > 0 && loadAgentBalanceMicros > Long.MAX_VALUE / 2 / loadAgents) {
        throw new IllegalArgumentException(
            "load agents x balance must stay below half the 63-bit supply");
      }
    }

    /** Options without agents named by key. */
    public Options(
        long chainId,
        long stakePerValidator,
        FeeSchedule fees,
        List<String> admins,
        long adminBalanceMicros,
        boolean systemd,
        SystemdUnit.Options unitOptions,
        int loadAgents,
        long loadAgentBalanceMicros) {
      this(
          chainId,
          stakePerValidator,
          fees,
          admins,
          adminBalanceMicros,
          systemd,
          unitOptions,
          loadAgents,
          loadAgentBalanceMicros,
          List.of(),
          0);
    }

    /** Options without load agents. */
    public Options(
        long chainId,
        long stakePerValidator,
        FeeSchedule fees,
        List<String> admins,
        long adminBalanceMicros,
        boolean systemd,
        SystemdUnit.Options unitOptions) {
      this(
          chainId, stakePerValidator, fees, admins, adminBalanceMicros, systemd, unitOptions, 0, 0);
    }
  }

  /** What was written. */
  public record Result(Genesis genesis, List<Path> files) {}

  /** Where a node directory holds its TLS files (with TLS). */
  public static final String TLS_CERT = "tls/server.pem";

  public static final String TLS_KEY = "tls/server.key";
  public static final String TLS_CA = "tls/ca.pem";

  private ClusterInit() {}

  /** Writes the cluster; {@code random} makes the keys (use a strong one outside tests). */
  public static Result write(
      Path out, List<PlannedNode> nodes, Options options, SecureRandom random) throws IOException {
    return write(out, nodes, options, random, step -> {});
  }

  /**
   * As {@link #write(Path, List, Options, SecureRandom)}, telling {@code progress} what it does
   * (the load agents in tenths, then each genesis copy), for a progress line.
   */
  public static Result write(
      Path out,
      List<PlannedNode> nodes,
      Options options,
      SecureRandom random,
      java.util.function.Consumer<String> progress)
      throws IOException {
    boolean generateAdmin = options.admins().isEmpty();
    List<Path> targets = new ArrayList<>();
    targets.add(out.resolve("genesis.yaml"));
    targets.add(out.resolve("inventory.yaml"));
    if (generateAdmin) {
      targets.add(out.resolve("admin.key"));
    }
    if (options.loadAgents() > 0) {
      targets.add(out.resolve(LoadAgents.FILE_NAME));
    }
    if (options.systemd()) {
      targets.add(out.resolve("agentledger.sysusers.conf"));
    }
    if (options.tls()) {
      targets.add(out.resolve("ca.pem"));
    }
    for (PlannedNode node : nodes) {
      Path dir = out.resolve(node.id());
      if (options.tls()) {
        targets.add(dir.resolve(TLS_CERT));
        targets.add(dir.resolve(TLS_KEY));
        targets.add(dir.resolve(TLS_CA));
      }
      targets.add(dir.resolve("node.yaml"));
      targets.add(dir.resolve("validator.key"));
      targets.add(dir.resolve("genesis.yaml"));
      if (options.systemd()) {
        targets.add(dir.resolve(SystemdUnit.unitName(node.id())));
        targets.add(dir.resolve("agentledger-" + node.id() + ".tmpfiles.conf"));
      }
    }
    for (Path target : targets) {
      if (Files.exists(target)) {
        throw new FileAlreadyExistsException(
            target.toString(),
            null,
            "refusing to overwrite: "
                + out
                + " already holds a cluster (remove it or choose another --out)");
      }
    }
    Files.createDirectories(out);
    List<Path> written = new ArrayList<>();

    List<String> admins = new ArrayList<>(options.admins());
    if (generateAdmin) {
      Ed25519KeyPair admin = Ed25519.generate(random);
      try {
        KeyFile.write(out.resolve("admin.key"), admin);
        admins.add(HexFormat.of().formatHex(admin.publicKey()));
      } finally {
        admin.destroy();
      }
      written.add(out.resolve("admin.key"));
    }

    List<Validator> committee = new ArrayList<>();
    for (PlannedNode node : nodes) {
      Path dir = Files.createDirectories(out.resolve(node.id()));
      Ed25519KeyPair key = Ed25519.generate(random);
      String publicKey;
      try {
        KeyFile.write(dir.resolve("validator.key"), key);
        publicKey = HexFormat.of().formatHex(key.publicKey());
      } finally {
        key.destroy();
      }
      written.add(dir.resolve("validator.key"));
      committee.add(
          new Validator(
              node.id(),
              node.name(),
              publicKey,
              options.stakePerValidator(),
              List.of(new Delegation(publicKey, options.stakePerValidator())),
              node.peerAddress(),
              node.clientAddress()));
    }
    List<Balance> balances = new ArrayList<>();
    for (String admin : admins) {
      balances.add(new Balance(admin, options.adminBalanceMicros()));
    }
    List<Account> accounts = new ArrayList<>();
    for (String agent : options.agents()) {
      accounts.add(new Account(agent, List.of("agent"), options.agentBalanceMicros()));
    }
    if (options.loadAgents() > 0) {
      LoadAgents agents = LoadAgents.generate(options.loadAgents(), random);
      agents.write(out.resolve(LoadAgents.FILE_NAME));
      written.add(out.resolve(LoadAgents.FILE_NAME));
      int tenth = Math.max(1, agents.count() / 10);
      for (int i = 0; i < agents.count(); i++) {
        if (i % tenth == 0) {
          progress.accept("load agents: " + i + " of " + agents.count() + " derived");
        }
        accounts.add(
            new Account(
                agents.publicKeyHex(i), List.of("agent"), options.loadAgentBalanceMicros()));
      }
    }
    Genesis genesis =
        new Genesis(options.chainId(), 0, committee, options.fees(), admins, balances, accounts);
    progress.accept("writing " + out.resolve("genesis.yaml"));
    genesis.write(out.resolve("genesis.yaml"));
    written.add(out.resolve("genesis.yaml"));

    LabCa ca = null;
    if (options.tls()) {
      ca = LabCa.create("AgentLedger lab CA, chain " + options.chainId());
      ca.writeCertificate(out.resolve("ca.pem"));
      written.add(out.resolve("ca.pem"));
    }
    for (PlannedNode node : nodes) {
      Path dir = out.resolve(node.id());
      NodeConfig.Tls tls = null;
      if (ca != null) {
        Files.createDirectories(dir.resolve(TLS_CERT).getParent());
        ca.issue(tlsNames(node)).write(dir.resolve(TLS_CERT), dir.resolve(TLS_KEY));
        ca.writeCertificate(dir.resolve(TLS_CA));
        tls = new NodeConfig.Tls(dir.resolve(TLS_CERT), dir.resolve(TLS_KEY), dir.resolve(TLS_CA));
        written.add(dir.resolve(TLS_CERT));
        written.add(dir.resolve(TLS_KEY));
        written.add(dir.resolve(TLS_CA));
      }
      progress.accept("writing " + dir.resolve("genesis.yaml"));
      genesis.write(dir.resolve("genesis.yaml"));
      NodeConfig config =
          new NodeConfig(
                  node.id(),
                  node.name(),
                  dir.resolve("validator.key"),
                  dir.resolve("genesis.yaml"),
                  node.dataDir().isAbsolute() ? node.dataDir() : dir.resolve(node.dataDir()),
                  node.peerListen(),
                  node.clientListen(),
                  node.queryListen(),
                  node.metricsListen(),
                  node.backend(),
                  node.cpus())
              .withTls(tls);
      config.write(dir.resolve("node.yaml"));
      written.add(dir.resolve("genesis.yaml"));
      written.add(dir.resolve("node.yaml"));
      if (options.systemd()) {
        Path unit = dir.resolve(SystemdUnit.unitName(node.id()));
        ConfigFiles.writeNew(
            unit,
            SystemdUnit.render(
                node.id(),
                node.name(),
                node.dataDir(),
                node.backend(),
                node.cpus(),
                node.queryListen(),
                options.unitOptions()));
        Path tmpfiles = dir.resolve("agentledger-" + node.id() + ".tmpfiles.conf");
        ConfigFiles.writeNew(
            tmpfiles, SystemdUnit.tmpfiles(node.id(), node.dataDir(), options.unitOptions()));
        written.add(unit);
        written.add(tmpfiles);
      }
    }
    if (options.systemd()) {
      Path sysusers = out.resolve("agentledger.sysusers.conf");
      ConfigFiles.writeNew(sysusers, SystemdUnit.sysusers(options.unitOptions()));
      written.add(sysusers);
    }
    Path inventory = out.resolve("inventory.yaml");
    ConfigFiles.writeNew(inventory, ConfigFiles.render(inventory, inventory(nodes)));
    written.add(inventory);
    return new Result(genesis, written);
  }

  /**
   * The names a node's server certificate carries: the advertised client host, then the client and
   * query listen hosts; a wildcard listen host is reached on loopback.
   */
  static List<String> tlsNames(PlannedNode node) {
    java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
    names.add(node.clientAddress().host());
    for (String listen : List.of(node.clientListen().host(), node.queryListen().host())) {
      names.add(listen.equals("0.0.0.0") || listen.equals("::") ? "127.0.0.1" : listen);
    }
    if (names.contains("127.0.0.1")) {
      names.add("localhost"); // what a curl on the node's host types
    }
    return List.copyOf(names);
  }

  /** An Ansible inventory (YAML): group {@code agentledger_validators}, validators per host. */
  static ObjectNode inventory(List<PlannedNode> nodes) {
    Map<String, List<PlannedNode>> byHost = new LinkedHashMap<>();
    for (PlannedNode node : nodes) {
      byHost.computeIfAbsent(node.hostName(), h -> new ArrayList<>()).add(node);
    }
    ObjectNode root = ConfigFiles.json().createObjectNode();
    ObjectNode hosts =
        root.putObject("all")
            .putObject("children")
            .putObject("agentledger_validators")
            .putObject("hosts");
    for (Map.Entry<String, List<PlannedNode>> entry : byHost.entrySet()) {
      ObjectNode host = hosts.putObject(entry.getKey());
      String address = entry.getValue().getFirst().peerAddress().host();
      if (address.equals("127.0.0.1") || address.equals("localhost") || address.equals("::1")) {
        host.put("ansible_connection", "local");
      } else {
        host.put("ansible_host", address);
      }
      ArrayNode ids = host.putArray("agentledger_validators");
      ObjectNode ports = host.putObject("agentledger_query_ports");
      // where the play reaches the query port on that host: its listen address, or loopback for a
      // wildcard
      ObjectNode queryHosts = host.putObject("agentledger_query_hosts");
      for (PlannedNode node : entry.getValue()) {
        ids.add(node.id());
        ports.put(node.id(), node.queryListen().port());
        String listen = node.queryListen().host();
        queryHosts.put(
            node.id(), listen.equals("0.0.0.0") || listen.equals("::") ? "127.0.0.1" : listen);
      }
    }
    return root;
  }
}
