package dev.agentledger.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
  static final String VALID =
      """
      format: agentledger-node/v1
      validator_id: v2
      name: validator-2
      key_file: validator.key
      genesis: ../genesis.yaml
      data_dir: /var/lib/agentledger/v2
      peer_listen: 0.0.0.0:7100
      client_listen: 0.0.0.0:7200
      query_listen: 127.0.0.1:7300
      metrics_listen: "[::1]:7400"
      sig_backend: opencl
      cpus: 2-5,8
      """;

  static NodeConfig parse(String yaml) throws ConfigException {
    return NodeConfig.fromTree(
        ConfigFiles.parse("node.yaml", yaml.getBytes(), false),
        "node.yaml",
        Path.of("/etc/agentledger/v2"));
  }

  static List<String> problems(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected the configuration to be refused:\n" + yaml);
  }

  @Test
  void loadsAndResolvesRelativePathsAgainstTheFile() throws Exception {
    NodeConfig config = parse(VALID);
    assertThat(config.validatorId()).isEqualTo("v2");
    assertThat(config.keyFile()).isEqualTo(Path.of("/etc/agentledger/v2/validator.key"));
    assertThat(config.genesis()).isEqualTo(Path.of("/etc/agentledger/genesis.yaml"));
    assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/agentledger/v2"));
    assertThat(config.peerListen()).isEqualTo(new HostPort("0.0.0.0", 7100));
    assertThat(config.metricsListen()).isEqualTo(new HostPort("::1", 7400));
    assertThat(config.queryPort()).isEqualTo(7300);
    assertThat(config.metricsPort()).isEqualTo(7400);
    assertThat(config.sigBackend()).isEqualTo(SigBackend.OPENCL);
    assertThat(config.cpus().toArray()).containsExactly(2, 3, 4, 5, 8);
  }

  @Test
  void readsTheTlsSectionWithPathsRelativeToTheFile() throws Exception {
    assertThat(parse(VALID).tls()).isNull();
    NodeConfig config =
        parse(VALID + "tls:\n  cert: tls/server.pem\n  key: /keys/server.key\n  ca: ca.pem\n");
    assertThat(config.tls())
        .isEqualTo(
            new NodeConfig.Tls(
                Path.of("/etc/agentledger/v2/tls/server.pem"),
                Path.of("/keys/server.key"),
                Path.of("/etc/agentledger/v2/ca.pem")));
    assertThat(parse(VALID + "tls: {cert: a.pem, key: a.key}\n").tls().ca()).isNull();
    assertThat(config.toTree(Path.of("/etc/agentledger/v2")).path("tls").path("cert").asText())
        .isEqualTo("tls/server.pem");
  }

  @Test
  void refusesAnIncompleteOrUnknownTlsSection() {
    assertThat(problems(VALID + "tls:\n  cert: server.pem\n"))
        .anySatisfy(p -> assertThat(p).contains("tls.key").contains("is missing"));
    assertThat(problems(VALID + "tls:\n  cert: a\n  key: b\n  chain: c\n"))
        .anySatisfy(p -> assertThat(p).contains("tls.chain"));
    assertThat(problems(VALID + "tls: yes\n"))
        .anySatisfy(p -> assertThat(p).contains("tls").contains("mapping"));
  }

  @Test
  void defaultsBackendToCpuAndPinningToNone() throws Exception {
    NodeConfig config =
        parse(VALID.replace("sig_backend: opencl\n", "").replace("cpus: 2-5,8\n", ""));
    assertThat(config.sigBackend()).isEqualTo(SigBackend.CPU);
    assertThat(config.cpus().isEmpty()).isTrue();
    assertThat(parse(VALID.replace("cpus: 2-5,8", "cpus: [8, 2, 3]")).cpus().toString())
        .isEqualTo("2-3,8");
  }

  @Test
  void readsTheThreadingModeAndTheAgentCoresAndWritesThemBack() throws Exception {
    assertThat(parse(VALID).agents()).isEqualTo(NodeConfig.Agents.DEFAULT);
    NodeConfig config =
        parse(VALID + "threading: dedicated\nagent_cores:\n  primary: 2\n  verify: 3-4\n");
    assertThat(config.agents().threading()).isEqualTo("dedicated");
    assertThat(config.agents().cores())
        .containsOnly(
            java.util.Map.entry("primary", CpuList.of(2)),
            java.util.Map.entry("verify", CpuList.parse("3-4")));
    Path base = Path.of("/etc/agentledger/v2");
    assertThat(NodeConfig.fromTree(config.toTree(base), "node.yaml", base)).isEqualTo(config);
    assertThat(parse(VALID + "threading: shared\n").agents().threading()).isEqualTo("shared");
  }

  @Test
  void readsTheFreeDiskFloorAndWritesItBack() throws Exception {
    assertThat(parse(VALID).minFreeDiskMib()).isNull();
    NodeConfig config = parse(VALID + "min_free_disk_mib: 256\n");
    assertThat(config.minFreeDiskMib()).isEqualTo(256L);
    assertThat(parse(VALID + "min_free_disk_mib: 0\n").minFreeDiskMib()).isZero();
    Path base = Path.of("/etc/agentledger/v2");
    assertThat(NodeConfig.fromTree(config.toTree(base), "node.yaml", base)).isEqualTo(config);
    assertThat(problems(VALID + "min_free_disk_mib: -1\n"))
        .containsExactly(
            "min_free_disk_mib: -1 is out of range (0.." + NodeConfig.MAX_MIN_FREE_DISK_MIB + ")");
    assertThat(problems(VALID + "min_free_disk_mib: lots\n"))
        .containsExactly("min_free_disk_mib: 'lots' is not an integer");
  }

  @Test
  void refusesABadThreadingModeOrAgentCores() {
    assertThat(problems(VALID + "threading: pooled\n"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("threading")
                    .contains("'pooled' is not one of dedicated, shared"));
    assertThat(problems(VALID + "threading: invoker\n"))
        .anySatisfy(p -> assertThat(p).contains("'invoker' is not one of dedicated, shared"));
    assertThat(problems(VALID + "agent_cores:\n  gpu: 1\n"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("agent_cores.gpu")
                    .contains(
                        "not an agent role (one of verify, worker, primary, execution, feed)"));
    assertThat(problems(VALID + "agent_cores:\n  primary: 5-2\n"))
        .anySatisfy(p -> assertThat(p).contains("agent_cores.primary").contains("descending"));
    assertThat(problems(VALID + "agent_cores:\n  primary: [1]\n"))
        .anySatisfy(p -> assertThat(p).contains("agent_cores.primary").contains("CPU list"));
    assertThat(problems(VALID + "agent_cores: 3\n"))
        .anySatisfy(p -> assertThat(p).contains("agent_cores").contains("must map agent roles"));
    assertThat(problems(VALID + "threading: shared\nagent_cores:\n  worker: 1\n"))
        .anySatisfy(
            p -> assertThat(p).contains("agent_cores").contains("only under threading: dedicated"));
  }

  @Test
  void writeThenLoadRoundTrips(@TempDir Path dir) throws Exception {
    Path nodeDir = Files.createDirectories(dir.resolve("v2"));
    NodeConfig config =
        new NodeConfig(
            "v2",
            "validator-2",
            nodeDir.resolve("validator.key"),
            dir.resolve("genesis.yaml"),
            nodeDir.resolve("data"),
            new HostPort("0.0.0.0", 7100),
            new HostPort("0.0.0.0", 7200),
            new HostPort("127.0.0.1", 7300),
            new HostPort("127.0.0.1", 7400),
            SigBackend.CUDA,
            CpuList.parse("1-3"));
    config.write(nodeDir.resolve("node.yaml"));
    config.write(nodeDir.resolve("node.json"));
    String text = Files.readString(nodeDir.resolve("node.yaml"));
    assertThat(text)
        .contains("key_file: validator.key")
        .contains("data_dir: data")
        .contains("sig_backend: cuda");
    assertThat(NodeConfig.load(nodeDir.resolve("node.yaml"))).isEqualTo(config);
    assertThat(NodeConfig.load(nodeDir.resolve("node.json"))).isEqualTo(config);
    assertThatThrownBy(() -> config.write(nodeDir.resolve("node.yaml")))
        .hasMessageContaining("refusing to overwrite");
  }

  @Test
  void pathsRelativeToTheWorkingDirectoryAreWrittenRelativeToTheFile(@TempDir Path dir)
      throws Exception {
    // cluster init --out cluster/ builds paths relative to the working directory; the file must
    // hold them relative to its own directory, or loading it resolves cluster/v0/cluster/v0/...
    Path nodeDir =
        Path.of("").toAbsolutePath().relativize(Files.createDirectories(dir.resolve("v0")));
    assertThat(nodeDir.isAbsolute()).isFalse();
    NodeConfig config =
        new NodeConfig(
            "v0",
            "validator-0",
            nodeDir.resolve("validator.key"),
            nodeDir.resolve("genesis.yaml"),
            Path.of("/var/lib/agentledger/v0"),
            new HostPort("10.0.0.1", 7100),
            new HostPort("10.0.0.1", 7200),
            new HostPort("10.0.0.1", 7300),
            new HostPort("10.0.0.1", 7400),
            SigBackend.CPU,
            CpuList.empty());
    config.write(nodeDir.resolve("node.yaml"));
    assertThat(Files.readString(nodeDir.resolve("node.yaml")))
        .contains("key_file: validator.key\n")
        .contains("genesis: genesis.yaml\n")
        .contains("data_dir: /var/lib/agentledger/v0\n");
    NodeConfig loaded = NodeConfig.load(nodeDir.resolve("node.yaml"));
    assertThat(loaded.keyFile())
        .isEqualTo(nodeDir.resolve("validator.key").toAbsolutePath().normalize());
    assertThat(loaded.genesis())
        .isEqualTo(nodeDir.resolve("genesis.yaml").toAbsolutePath().normalize());
  }

  @Test
  void namesTheFieldOfABadPort() {
    assertThat(problems(VALID.replace("0.0.0.0:7100", "0.0.0.0:70000")))
        .containsExactly("peer_listen: 70000 is not a port (1..65535)");
    assertThat(problems(VALID.replace("0.0.0.0:7200", "0.0.0.0:http")))
        .containsExactly("client_listen: port 'http' is not a number");
    assertThat(problems(VALID.replace("127.0.0.1:7300", "127.0.0.1")))
        .containsExactly("query_listen: '127.0.0.1' has no port, expected host:port");
  }

  @Test
  void refusesTwoListenersOnOnePort() {
    assertThat(problems(VALID.replace("[::1]:7400", "[::1]:7300")))
        .containsExactly("metrics_listen: port 7300 is already used by query_listen");
  }

  @Test
  void refusesUnknownBackend() {
    assertThat(problems(VALID.replace("sig_backend: opencl", "sig_backend: tpu")))
        .containsExactly("sig_backend: 'tpu' is not one of cpu, opencl, cuda, auto");
  }

  @Test
  void refusesBadCpuLists() {
    assertThat(problems(VALID.replace("cpus: 2-5,8", "cpus: 5-2")))
        .containsExactly("cpus: '5-2' is a descending range");
    assertThat(problems(VALID.replace("cpus: 2-5,8", "cpus: two")))
        .containsExactly("cpus: 'two' is not a CPU list like 0-3,8");
    assertThat(problems(VALID.replace("cpus: 2-5,8", "cpus: [1, x]")))
        .containsExactly("cpus[1]: must be a CPU number, found string 'x'");
  }

  @Test
  void refusesMissingFieldsBadIdsAndHosts() {
    assertThat(problems(VALID.replace("key_file: validator.key\n", "")))
        .containsExactly("key_file: is missing");
    assertThat(problems(VALID.replace("validator_id: v2", "validator_id: Validator Two")))
        .containsExactly("validator_id: 'Validator Two' must match [a-z0-9][a-z0-9_-]{0,31}");
    assertThat(problems(VALID.replace("0.0.0.0:7100", "bad_host!:7100")))
        .containsExactly("peer_listen: 'bad_host!' is not a host name (character '!')");
    assertThat(problems(VALID.replace("data_dir: /var/lib/agentledger/v2", "data_dir: \"\"")))
        .containsExactly("data_dir: must not be empty");
  }

  @Test
  void refusesUnknownFieldsAndWrongFormat() {
    assertThat(problems(VALID + "peer_lisen: 0.0.0.0:1\n"))
        .singleElement()
        .asString()
        .startsWith("peer_lisen: unknown field");
    assertThat(problems(VALID.replace("agentledger-node/v1", "agentledger-genesis/v1")))
        .containsExactly("format: 'agentledger-genesis/v1' is not agentledger-node/v1");
  }

  @Test
  void loadsJson(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.json");
    Files.writeString(
        file,
        """
        {"format":"agentledger-node/v1","validator_id":"v0","key_file":"k","genesis":"g.json","data_dir":"d",
         "peer_listen":"127.0.0.1:1","client_listen":"127.0.0.1:2","query_listen":"127.0.0.1:3",
         "metrics_listen":"127.0.0.1:4"}
        """);
    NodeConfig config = NodeConfig.load(file);
    assertThat(config.name()).isEqualTo("v0");
    assertThat(config.dataDir()).isEqualTo(dir.resolve("d"));
    Files.writeString(file, "{\"format\": \"agentledger-node/v1\", \"validator_id\": 1,}");
    assertThatThrownBy(() -> NodeConfig.load(file))
        .hasMessageStartingWith(file + ": not valid JSON at line 1");
  }
}
