package dev.agentledger.deploy.cli;

import dev.agentledger.deploy.cluster.ClusterInit;
import dev.agentledger.deploy.cluster.ClusterLayout;
import dev.agentledger.deploy.cluster.ClusterLayout.PlannedNode;
import dev.agentledger.deploy.cluster.HostSpec;
import dev.agentledger.deploy.cluster.SystemdUnit;
import dev.agentledger.node.cli.MalformedInputException;
import dev.agentledger.node.cli.Progress;
import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.LoadAgents;
import dev.agentledger.node.execution.core.FeeSchedule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger cluster init}: validator keys, genesis, one node configuration per validator,
 * systemd units and an Ansible inventory, from a hosts file or for a local demo on 127.0.0.1.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Create validator keys (0600), the genesis and one node configuration per validator in a new directory.",
      "Without --hosts: N validators on 127.0.0.1 with distinct ports (the local demo).",
      "hosts.yaml: 'hosts:' lists host names/addresses, each optionally a mapping with address, name,",
      "listen_host, peer_port, client_port, query_port, metrics_port, data_dir, backend, cpus;",
      "'defaults:' holds settings for all hosts. Never overwrites existing files."
    })
final class ClusterInitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--validators",
      paramLabel = "N",
      description = "Number of validators (default: one per host; 4 without --hosts).")
  Integer validators;

  @Option(
      names = "--hosts",
      paramLabel = "FILE",
      description = "hosts.yaml; default: all validators on 127.0.0.1.")
  Path hosts;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output directory (created; existing files are never overwritten).")
  Path out;

  @Option(
      names = "--chain-id",
      paramLabel = "ID",
      description = "Chain id, 1..4294967295 (default: random, printed).")
  Long chainId;

  @Option(
      names = "--stake",
      paramLabel = "AMOUNT",
      defaultValue = "1000000",
      description = "Stake of each validator, self-delegated (default: ${DEFAULT-VALUE}).")
  long stake;

  @Option(
      names = "--admin",
      paramLabel = "PUBHEX",
      description =
          "First admin account (Ed25519 public key hex); repeatable. Default: generate OUT/admin.key.")
  List<String> admins = new ArrayList<>();

  @Option(
      names = "--agent",
      paramLabel = "PUBHEX",
      description =
          "Register this Ed25519 public key (64 hex, as printed by keygen) as an agent with --agent-balance; repeatable.")
  List<String> agents = new ArrayList<>();

  @Option(
      names = "--agent-balance",
      paramLabel = "MICROS",
      defaultValue = "10000000000000",
      description = "Genesis balance of each --agent (default: ${DEFAULT-VALUE}).")
  long agentBalance;

  @Option(
      names = "--admin-balance",
      paramLabel = "MICROS",
      defaultValue = "1000000000000",
      description = "Genesis balance of each admin (default: ${DEFAULT-VALUE}).")
  long adminBalance;

  @Option(
      names = "--base-port",
      paramLabel = "PORT",
      defaultValue = "7100",
      description =
          "Default ports: peer PORT, client PORT+100, query PORT+200, metrics PORT+300, plus the validator's slot on its host (default: ${DEFAULT-VALUE}).")
  int basePort;

  @Option(
      names = "--load-agents",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Register N load-test agents (agent role, --load-agent-balance each) derived from a new random master seed written to OUT/load-agents.seed (0600); the load generator signs as them (default: ${DEFAULT-VALUE}).")
  int loadAgents;

  @Option(
      names = "--load-agent-balance",
      paramLabel = "MICROS",
      defaultValue = "10000000000000",
      description = "Genesis balance of each load agent (default: ${DEFAULT-VALUE}).")
  long loadAgentBalance;

  @Option(
      names = "--systemd",
      negatable = true,
      description =
          "Write systemd units, tmpfiles.d and sysusers.d files (default: on with --hosts).")
  Boolean systemd;

  @Option(
      names = "--user",
      defaultValue = "agentledger",
      description = "Service user of the units (default: ${DEFAULT-VALUE}).")
  String user;

  @Option(
      names = "--huge-pages",
      defaultValue = "thp",
      paramLabel = "MODE",
      description =
          "Huge pages for the validator heap, via AGENTLEDGER_JAVA_OPTS in the unit: thp (transparent), reserved (vm.nr_hugepages) or off (default: ${DEFAULT-VALUE}).")
  String hugePages;

  @Option(
      names = "--install-dir",
      defaultValue = "/opt/agentledger",
      paramLabel = "DIR",
      description = "Where the appliance is installed on the hosts (default: ${DEFAULT-VALUE}).")
  Path installDir;

  @Option(
      names = "--config-dir",
      defaultValue = "/etc/agentledger",
      paramLabel = "DIR",
      description =
          "Where node directories are installed on the hosts (default: ${DEFAULT-VALUE}).")
  Path configDir;

  @Option(
      names = "--tls",
      description =
          "Make a lab CA (OUT/ca.pem) and a certificate per node, and serve the client and query ports over TLS 1.3.")
  boolean tls;

  @Option(
      names = "--progress",
      description =
          "Print what is being written to stderr (default: only when on a terminal); --load-agents in the hundreds of thousands takes a while.")
  boolean progress;

  @Override
  public Integer call() throws Exception {
    List<HostSpec> hostList;
    try {
      hostList = hosts == null ? ClusterLayout.localHosts() : HostSpec.load(hosts);
    } catch (ConfigException e) {
      throw new MalformedInputException(e.getMessage());
    }
    int count = validators != null ? validators : (hosts == null ? 4 : hostList.size());
    long chain = chainId != null ? chainId : 1 + new SecureRandom().nextLong(Integer.MAX_VALUE);
    if (chain < 1 || chain > Genesis.MAX_CHAIN_ID) {
      throw new MalformedInputException(
          "--chain-id: " + chain + " is out of range (1.." + Genesis.MAX_CHAIN_ID + ")");
    }
    if (stake < 1) {
      throw new MalformedInputException("--stake: " + stake + " must be positive");
    }
    List<String> adminKeys = new ArrayList<>();
    for (String admin : admins) {
      String key = admin.strip().toLowerCase(Locale.ROOT);
      if (key.length() != 64 || !key.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new MalformedInputException(
            "--admin: '" + admin + "' is not an Ed25519 public key (64 hex digits)");
      }
      adminKeys.add(key);
    }
    List<String> agentKeys = new ArrayList<>();
    for (String agent : agents) {
      String key = agent.strip().toLowerCase(Locale.ROOT);
      if (key.length() != 64 || !key.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new MalformedInputException(
            "--agent: '" + agent + "' is not an Ed25519 public key (64 hex digits)");
      }
      if (agentKeys.contains(key)) {
        throw new MalformedInputException("--agent: " + key + " is given twice");
      }
      if (adminKeys.contains(key)) {
        throw new MalformedInputException(
            "--agent: " + key + " is also an --admin; use another key for the agent");
      }
      agentKeys.add(key);
    }
    if (agentBalance < 0
        || (!agentKeys.isEmpty() && agentBalance > Long.MAX_VALUE / 4 / agentKeys.size())) {
      throw new MalformedInputException(
          "--agent-balance: "
              + agentBalance
              + " must be >= 0 and, times the number of --agent keys, below 2^61");
    }
    List<PlannedNode> nodes;
    try {
      nodes = ClusterLayout.plan(count, hostList, basePort, hosts == null);
    } catch (ConfigException e) {
      throw new MalformedInputException(e.getMessage());
    }
    boolean units = systemd != null ? systemd : hosts != null;
    SystemdUnit.Options unitOptions;
    try {
      unitOptions =
          SystemdUnit.Options.defaults()
              .withUser(user)
              .withInstallDir(installDir)
              .withConfigDir(configDir);
      try {
        unitOptions = unitOptions.withHugePages(SystemdUnit.HugePages.parse(hugePages));
      } catch (IllegalArgumentException e) {
        throw new MalformedInputException("--huge-pages: " + e.getMessage());
      }
      if (units) {
        SystemdUnit.sysusers(unitOptions);
      }
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("--user: " + e.getMessage());
    }
    if (loadAgents < 0 || loadAgents > LoadAgents.MAX_COUNT) {
      throw new MalformedInputException(
          "--load-agents: " + loadAgents + " is out of range (0.." + LoadAgents.MAX_COUNT + ")");
    }
    if (loadAgentBalance < 0
        || (loadAgents > 0 && loadAgentBalance > Long.MAX_VALUE / 2 / loadAgents)) {
      throw new MalformedInputException(
          "--load-agent-balance: "
              + loadAgentBalance
              + " must be >= 0 and, times --load-agents, below 2^62");
    }
    ClusterInit.Options options =
        new ClusterInit.Options(
            chain,
            stake,
            FeeSchedule.defaults(),
            adminKeys,
            adminBalance,
            units,
            unitOptions,
            loadAgents,
            loadAgentBalance,
            agentKeys,
            agentBalance,
            tls);
    Progress progressLine = Progress.of(progress, spec.commandLine().getErr());
    ClusterInit.Result result =
        ClusterInit.write(
            out, nodes, options, SecureRandom.getInstanceStrong(), progressLine::step);
    progressLine.done();

    PrintWriter w = spec.commandLine().getOut();
    Genesis genesis = result.genesis();
    w.printf(
        "cluster: %d validators on %d host(s), chain id %d, total stake %d, quorum %d%n",
        nodes.size(),
        nodes.stream().map(PlannedNode::hostName).distinct().count(),
        genesis.chainId(),
        genesis.totalStake(),
        genesis.quorumStake());
    w.println("genesis: " + out.resolve("genesis.yaml") + " sha256 " + genesis.digestHex());
    for (PlannedNode node : nodes) {
      w.printf(
          "%s: host %s peer %s client %s query %s metrics %s data %s backend %s%s -> %s%n",
          node.id(),
          node.hostName(),
          node.peerAddress(),
          node.clientAddress(),
          node.queryListen(),
          node.metricsListen(),
          node.dataDir(),
          node.backend().configName(),
          node.cpus().isEmpty() ? "" : " cpus " + node.cpus(),
          out.resolve(node.id()).resolve("node.yaml"));
    }
    if (admins.isEmpty()) {
      w.println(
          "admin: "
              + out.resolve("admin.key")
              + " (first admin key, public "
              + genesis.admins().getFirst()
              + ")");
    }
    for (String agent : agentKeys) {
      w.println("agent: " + agent + " registered with the agent role, balance " + agentBalance);
    }
    if (loadAgents > 0) {
      w.println(
          "load agents: "
              + loadAgents
              + " registered with the agent role, seed "
              + out.resolve(LoadAgents.FILE_NAME)
              + " (0600)");
    }
    if (tls) {
      w.println(
          "tls: client and query ports serve TLS 1.3; lab CA "
              + out.resolve("ca.pem")
              + " (give clients --ca "
              + out.resolve("ca.pem")
              + ", curl --cacert)");
    }
    w.println(
        "wrote " + result.files().size() + " files; keys are mode 0600, keep " + out + " private");
    return 0;
  }
}
