package dev.agentledger.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.config.Account;
import dev.agentledger.node.config.Balance;
import dev.agentledger.node.config.ExecutionGenesisMapping;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.HostPort;
import dev.agentledger.node.config.LoadAgents;
import dev.agentledger.node.config.NodeConfig;
import dev.agentledger.node.config.NodeSetup;
import dev.agentledger.node.config.Validator;
import dev.agentledger.node.execution.core.ExecutionGenesis;
import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.execution.core.Roles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterInitTest {
  static ClusterInit.Options options(boolean systemd) {
    return new ClusterInit.Options(
        42,
        1000,
        FeeSchedule.defaults(),
        List.of(),
        5_000,
        systemd,
        SystemdUnit.Options.defaults());
  }

  @Test
  void withTlsEachNodeGetsACertificateForItsHostsSignedByTheLabCa(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("cluster");
    ClusterInit.Result result =
        ClusterInit.write(
            out,
            ClusterLayout.plan(4, ClusterLayout.localHosts(), 7100, true),
            options(false).withTls(true),
            new SecureRandom());
    java.security.cert.CertificateFactory x509 =
        java.security.cert.CertificateFactory.getInstance("X.509");
    java.security.cert.X509Certificate ca;
    try (var in = Files.newInputStream(out.resolve("ca.pem"))) {
      ca = (java.security.cert.X509Certificate) x509.generateCertificate(in);
    }
    assertThat(ca.getBasicConstraints()).isZero(); // a CA, no intermediates below it
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    for (int i = 0; i < 4; i++) {
      Path nodeDir = out.resolve("v" + i);
      NodeSetup setup = NodeSetup.load(nodeDir.resolve("node.yaml")); // loads the TLS files too
      setup.key().destroy();
      assertThat(setup.config().tls())
          .isEqualTo(
              new dev.agentledger.node.config.NodeConfig.Tls(
                  nodeDir.resolve("tls/server.pem").toAbsolutePath(),
                  nodeDir.resolve("tls/server.key").toAbsolutePath(),
                  nodeDir.resolve("tls/ca.pem").toAbsolutePath()));
      assertThat(Files.readString(nodeDir.resolve("node.yaml")))
          .contains("cert: tls/server.pem")
          .contains("key: tls/server.key");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(nodeDir.resolve("tls/server.key"))))
          .isEqualTo("rw-------");
      java.security.cert.X509Certificate server;
      try (var in = Files.newInputStream(nodeDir.resolve("tls/server.pem"))) {
        server = (java.security.cert.X509Certificate) x509.generateCertificate(in);
      }
      server.verify(ca.getPublicKey());
      assertThat(server.getSubjectAlternativeNames())
          .contains(List.of(7, "127.0.0.1"), List.of(2, "localhost"));
      assertThat(Files.readString(nodeDir.resolve("tls/ca.pem")))
          .isEqualTo(Files.readString(out.resolve("ca.pem")));
    }
    assertThat(result.files()).contains(out.resolve("ca.pem"));
  }

  @Test
  void everyGeneratedNodeLoadsAndMatchesTheGenesis(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("cluster");
    ClusterInit.Result result =
        ClusterInit.write(
            out,
            ClusterLayout.plan(4, ClusterLayout.localHosts(), 7100, true),
            options(false),
            new SecureRandom());
    Genesis genesis = Genesis.load(out.resolve("genesis.yaml"));
    assertThat(genesis).isEqualTo(result.genesis());
    assertThat(genesis.chainId()).isEqualTo(42);
    assertThat(genesis.committee()).hasSize(4);
    assertThat(genesis.totalStake()).isEqualTo(4000);
    assertThat(genesis.admins()).hasSize(1);
    assertThat(genesis.initialBalances())
        .containsExactly(new Balance(genesis.admins().getFirst(), 5_000));
    for (int i = 0; i < 4; i++) {
      Path nodeDir = out.resolve("v" + i);
      NodeSetup setup = NodeSetup.load(nodeDir.resolve("node.yaml"));
      assertThat(setup.self().id()).isEqualTo("v" + i);
      assertThat(setup.genesis().digestHex()).isEqualTo(genesis.digestHex());
      assertThat(setup.config().dataDir()).isEqualTo(nodeDir.resolve("data").toAbsolutePath());
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(nodeDir.resolve("validator.key"))))
          .isEqualTo("rw-------");
      setup.key().destroy();
    }
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("admin.key"))))
        .isEqualTo("rw-------");
    // distinct keys
    assertThat(genesis.committee().stream().map(Validator::publicKey).distinct()).hasSize(4);
    assertThat(Files.readString(out.resolve("inventory.yaml")))
        .contains("ansible_connection: local")
        .contains("- v3");
  }

  @Test
  void refusesToOverwriteAndWritesNothingThen(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("cluster");
    ClusterInit.write(
        out,
        ClusterLayout.plan(2, ClusterLayout.localHosts(), 7100, true),
        options(false),
        new SecureRandom());
    String genesisBefore = Files.readString(out.resolve("genesis.yaml"));
    long filesBefore;
    try (Stream<Path> files = Files.walk(out)) {
      filesBefore = files.count();
    }
    assertThatThrownBy(
            () ->
                ClusterInit.write(
                    out,
                    ClusterLayout.plan(3, ClusterLayout.localHosts(), 7100, true),
                    options(false),
                    new SecureRandom()))
        .hasMessageContaining("refusing to overwrite");
    assertThat(Files.readString(out.resolve("genesis.yaml"))).isEqualTo(genesisBefore);
    try (Stream<Path> files = Files.walk(out)) {
      assertThat(files.count()).isEqualTo(filesBefore);
    }
  }

  @Test
  void writesUnitsTmpfilesAndSysusersForHosts(@TempDir Path dir) throws Exception {
    List<HostSpec> hosts =
        ClusterLayoutTest.hosts(
            "hosts:\n  - {address: 10.0.0.1, cpus: 2-7}\n  - {address: 10.0.0.2, backend: cuda}\n");
    Path out = dir.resolve("cluster");
    ClusterInit.write(
        out, ClusterLayout.plan(2, hosts, 7100, false), options(true), new SecureRandom());
    String unit = Files.readString(out.resolve("v0/agentledger-v0.service"));
    assertThat(unit)
        .contains(
            "ExecStart=/opt/agentledger/bin/agentledger node run --config /etc/agentledger/v0/node.yaml")
        .contains("CPUAffinity=2-7")
        .contains("ReadWritePaths=/var/lib/agentledger/v0")
        .contains("PrivateDevices=yes");
    assertThat(Files.readString(out.resolve("v1/agentledger-v1.service")))
        .doesNotContain("PrivateDevices=yes")
        .contains("DeviceAllow=char-nvidia-uvm rw");
    assertThat(Files.readString(out.resolve("v1/agentledger-v1.tmpfiles.conf")))
        .contains("d /var/lib/agentledger/v1 0750 agentledger agentledger -");
    assertThat(Files.readString(out.resolve("agentledger.sysusers.conf")))
        .contains("u agentledger - ");
    assertThat(Files.readString(out.resolve("inventory.yaml")))
        .contains("ansible_host: 10.0.0.2")
        .containsPattern("agentledger_query_hosts:\\s+v1: \"?10\\.0\\.0\\.2\"?");
    NodeConfig v0 = NodeConfig.load(out.resolve("v0/node.yaml"));
    assertThat(v0.dataDir()).isEqualTo(Path.of("/var/lib/agentledger/v0"));
    assertThat(v0.peerListen()).isEqualTo(new HostPort("10.0.0.1", 7100));
  }

  @Test
  void clusterInitRegistersTheLoadAgents(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("c");
    ClusterInit.Options options =
        new ClusterInit.Options(
            42,
            1000,
            FeeSchedule.defaults(),
            List.of(),
            5_000,
            false,
            SystemdUnit.Options.defaults(),
            20,
            1_000_000);
    ClusterInit.write(
        out,
        ClusterLayout.plan(4, ClusterLayout.localHosts(), 24_900, true),
        options,
        new SecureRandom());
    LoadAgents agents = LoadAgents.read(out.resolve(LoadAgents.FILE_NAME));
    assertThat(agents.count()).isEqualTo(20);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(out.resolve(LoadAgents.FILE_NAME))))
        .isEqualTo("rw-------");
    Genesis genesis = Genesis.load(out.resolve("v0/genesis.yaml"));
    assertThat(genesis.accounts()).hasSize(20);
    for (int i = 0; i < 20; i++) {
      assertThat(genesis.accounts().get(i))
          .isEqualTo(new Account(agents.publicKeyHex(i), List.of("agent"), 1_000_000));
    }
    ExecutionGenesis execution = ExecutionGenesisMapping.fromGenesis(genesis);
    assertThat(execution.accounts()).filteredOn(a -> a.roles() == Roles.AGENT).hasSize(20);
  }
}
