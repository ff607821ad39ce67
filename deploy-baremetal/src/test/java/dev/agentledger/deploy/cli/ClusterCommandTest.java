package dev.agentledger.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.cli.AgentLedgerCli;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.NodeSetup;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCommandTest {
  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        AgentLedgerCli.execute(
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out),
            new PrintWriter(err),
            args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void initWithoutHostsMakesALocalClusterThatLoads(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("c");
    Run run =
        run(
            "cluster",
            "init",
            "--validators",
            "3",
            "--out",
            out.toString(),
            "--chain-id",
            "99",
            "--base-port",
            "20000");
    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("3 validators on 1 host(s), chain id 99")
        .contains("v2: host 127.0.0.1 peer 127.0.0.1:20002");
    assertThat(Genesis.load(out.resolve("genesis.yaml")).committee()).hasSize(3);
    NodeSetup.load(out.resolve("v1/node.yaml")).key().destroy();
    assertThat(out.resolve("v0/agentledger-v0.service")).doesNotExist();

    Run again = run("cluster", "init", "--validators", "3", "--out", out.toString());
    assertThat(again.status()).isEqualTo(1);
    assertThat(again.err()).contains("refusing to overwrite");
  }

  @Test
  void initFromHostsFileWritesUnitsAndSystemdSubcommandReproducesThem(@TempDir Path dir)
      throws Exception {
    Path hosts = dir.resolve("hosts.yaml");
    Files.writeString(hosts, "hosts:\n  - 10.1.0.1\n  - {address: 10.1.0.2, cpus: 4-7}\n");
    Path out = dir.resolve("c");
    Run run = run("cluster", "init", "--hosts", hosts.toString(), "--out", out.toString());
    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.out()).contains("2 validators on 2 host(s)");
    String unit = Files.readString(out.resolve("v1/agentledger-v1.service"));
    Run systemd = run("cluster", "systemd", "--config", out.resolve("v1/node.yaml").toString());
    assertThat(systemd.status()).as(systemd.err()).isZero();
    assertThat(systemd.out()).isEqualTo(unit);
  }

  @Test
  void malformedHostsFileExitsTwoNamingTheField(@TempDir Path dir) throws Exception {
    Path hosts = dir.resolve("hosts.yaml");
    Files.writeString(hosts, "hosts:\n  - a\n  - b\n  - {address: c, peer_port: 70000}\n");
    Run run =
        run("cluster", "init", "--hosts", hosts.toString(), "--out", dir.resolve("c").toString());
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "agentledger cluster init: "
                + hosts
                + ": hosts[2].peer_port: 70000 is not a port (1..65535)\n");
    assertThat(dir.resolve("c")).doesNotExist();
    assertThat(run("cluster", "init", "--out", dir.resolve("d").toString(), "--admin", "xyz").err())
        .contains("--admin: 'xyz' is not an Ed25519 public key");
  }
}
