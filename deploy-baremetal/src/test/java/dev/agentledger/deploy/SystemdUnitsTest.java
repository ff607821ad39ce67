package dev.agentledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.deploy.cluster.ClusterInit;
import dev.agentledger.deploy.cluster.ClusterLayout;
import dev.agentledger.deploy.cluster.HostSpec;
import dev.agentledger.deploy.cluster.SystemdUnit;
import dev.agentledger.deploy.preflight.Finding;
import dev.agentledger.node.config.CpuList;
import dev.agentledger.node.config.SigBackend;
import dev.agentledger.node.execution.core.FeeSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The units that {@code cluster init} generates pass {@code systemd-analyze verify} without a
 * single warning, and the sysusers.d / tmpfiles.d files create the service user and a data
 * directory it owns (applied to a scratch root directory, never to this host).
 */
class SystemdUnitsTest {
  @TempDir static Path dir;
  static Path cluster;
  static Path installDir;

  @BeforeAll
  static void generate() throws Exception {
    // ExecStart must name an executable that exists for 'verify' to pass: install a stand-in
    // launcher.
    installDir = Files.createDirectories(dir.resolve("opt/agentledger"));
    Path bin = Files.createDirectories(installDir.resolve("bin"));
    Files.writeString(bin.resolve("agentledger"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(
        bin.resolve("agentledger"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Path hostsFile = dir.resolve("hosts.yaml");
    Files.writeString(
        hostsFile,
        """
        hosts:
          - {address: 10.0.0.1, cpus: 2-7}
          - {address: 10.0.0.2, backend: cuda, data_dir: /data/nvme0/agentledger}
          - {address: 10.0.0.3, backend: opencl}
        """);
    List<HostSpec> hosts = HostSpec.load(hostsFile);
    cluster = dir.resolve("cluster");
    SystemdUnit.Options unitOptions = SystemdUnit.Options.defaults().withInstallDir(installDir);
    ClusterInit.write(
        cluster,
        ClusterLayout.plan(4, hosts, 7100, false),
        new ClusterInit.Options(7, 100, FeeSchedule.defaults(), List.of(), 1, true, unitOptions),
        new SecureRandom());
  }

  static List<Path> units() {
    List<Path> units = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      units.add(cluster.resolve("v" + i).resolve("agentledger-v" + i + ".service"));
    }
    return units;
  }

  static void requireTool(String program, String... packages) throws Exception {
    Shell.Result tool = Shell.ensureTool(program, packages);
    assumeTrue(tool.ok(), "skipped: " + program + " cannot run here: " + tool.output().strip());
  }

  @Test
  void systemdAnalyzeVerifyAcceptsEveryUnitWithoutWarnings() throws Exception {
    requireTool("systemd-analyze", "systemd");
    for (Path unit : units()) {
      List<String> command = List.of("systemd-analyze", "verify", unit.toString());
      Shell.Result result = Shell.run(120, command);
      assertThat(result.status()).as(unit + ":\n" + result.output()).isZero();
      assertThat(result.output()).as("warnings for " + unit).isBlank();
    }
    String v0 = Files.readString(units().get(0));
    assertThat(v0)
        .contains("CPUAffinity=2-4")
        .contains("LimitMEMLOCK=infinity")
        .contains("Restart=on-failure")
        .contains("Environment=AGENTLEDGER_HEAP=4g")
        .contains("RestartPreventExitStatus=74")
        .doesNotContain("RestartPreventExitStatus=70")
        .contains("User=agentledger")
        .contains("ProtectSystem=strict")
        .contains("NoNewPrivileges=yes")
        .contains("ReadWritePaths=/var/lib/agentledger/v0")
        .containsPattern(
            "(?m)^ExecStartPost=/usr/bin/curl --silent --fail .* --retry-connrefused"
                + " http://[0-9.]+:7300/health$")
        .contains("TimeoutStartSec=150s")
        .contains("Environment=AGENTLEDGER_JAVA_OPTS=-XX:+UseTransparentHugePages\n");
    assertThat(Files.readString(units().get(1)))
        .contains("ReadWritePaths=/data/nvme0/agentledger/v1")
        .contains("DeviceAllow=char-nvidia-uvm rw");
  }

  /** AGENTLEDGER_JAVA_OPTS as the generated unit sets it. */
  static String javaOpts(String unit) {
    return unit.lines()
        .filter(l -> l.startsWith("Environment=AGENTLEDGER_JAVA_OPTS="))
        .map(l -> l.substring("Environment=AGENTLEDGER_JAVA_OPTS=".length()))
        .findFirst()
        .orElse("");
  }

  /** The JVM's final value of a boolean flag when started with {@code options}. */
  static String jvmFlag(String options, String flag) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(options.split(" ")));
    command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
    Shell.Result result = Shell.run(60, command);
    assertThat(result.status()).as(result.output()).isZero();
    return result
        .output()
        .lines()
        .filter(l -> l.matches("\\s*bool " + flag + "\\s+=.*"))
        .map(l -> l.replaceAll(".*=\\s*(\\w+).*", "$1"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theUnitsHugePageOptionReachesTheJvm() throws Exception {
    String thp = javaOpts(Files.readString(units().get(0)));
    assertThat(thp).isEqualTo("-XX:+UseTransparentHugePages");
    // The JVM keeps the option only where the kernel offers transparent huge pages (madvise or
    // always), which is what preflight's jvm.hugepages check says of this host.
    Finding expected =
        dev.agentledger.deploy.preflight.Preflight.jvmHugePages(
            new dev.agentledger.deploy.preflight.SystemHostProbe(), thp, 64L << 20);
    assertThat(jvmFlag(thp, "UseTransparentHugePages"))
        .isEqualTo(expected.level() == Finding.Level.PASS ? "true" : "false");

    SystemdUnit.Options reserved =
        SystemdUnit.Options.defaults()
            .withInstallDir(installDir)
            .withHugePages(SystemdUnit.HugePages.RESERVED);
    String unit =
        SystemdUnit.render(
            "v9", "n", Path.of("data"), SigBackend.CPU, CpuList.empty(), null, reserved);
    assertThat(javaOpts(unit)).isEqualTo("-XX:+UseLargePages");
    String off =
        SystemdUnit.render(
            "v9",
            "n",
            Path.of("data"),
            SigBackend.CPU,
            CpuList.empty(),
            null,
            reserved.withHugePages(SystemdUnit.HugePages.OFF));
    assertThat(off).doesNotContain("AGENTLEDGER_JAVA_OPTS");
  }

  @Test
  void verifyCatchesABrokenUnitSoTheCheckAboveMeansSomething() throws Exception {
    requireTool("systemd-analyze", "systemd");
    Path broken = dir.resolve("agentledger-broken.service");
    Files.writeString(
        broken,
        Files.readString(units().get(0))
            .replace("LimitMEMLOCK=infinity", "LimitMEMLOCK=lots")
            .replace("ProtectSystem=", "ProtectSystm="));
    Shell.Result result = Shell.run(120, List.of("systemd-analyze", "verify", broken.toString()));
    assertThat(result.output())
        .contains("Failed to parse resource value")
        .contains("Unknown key 'ProtectSystm'");
  }

  @Test
  void sysusersAndTmpfilesCreateTheUserAndItsDataDirectoryInAScratchRoot() throws Exception {
    requireTool("systemd-sysusers", "systemd");
    requireTool("systemd-tmpfiles", "systemd");
    assumeTrue(
        Shell.isRoot(),
        "skipped: giving the data directory to the service user (chown) needs root");
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.createDirectories(root.resolve("etc"));
    Shell.Result users =
        Shell.run(
            60,
            List.of(
                "systemd-sysusers",
                "--root=" + root,
                cluster.resolve("agentledger.sysusers.conf").toString()));
    assertThat(users.status()).as(users.output()).isZero();
    String passwd = Files.readString(root.resolve("etc/passwd"));
    assertThat(passwd)
        .containsPattern(
            "(?m)^agentledger:x:\\d+:\\d+:AgentLedger node:/var/lib/agentledger:/usr/sbin/nologin$");
    int uid =
        Integer.parseInt(
            passwd
                .lines()
                .filter(l -> l.startsWith("agentledger:"))
                .findFirst()
                .orElseThrow()
                .split(":")[2]);
    for (int i = 0; i < 4; i++) {
      Path conf = cluster.resolve("v" + i).resolve("agentledger-v" + i + ".tmpfiles.conf");
      Shell.Result tmpfiles =
          Shell.run(60, List.of("systemd-tmpfiles", "--create", "--root=" + root, conf.toString()));
      assertThat(tmpfiles.status()).as(tmpfiles.output()).isZero();
    }
    Path v1 = root.resolve("data/nvme0/agentledger/v1");
    assertThat(v1).isDirectory();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(v1)))
        .isEqualTo("rwxr-x---");
    assertThat(Files.getAttribute(v1, "unix:uid")).isEqualTo(uid);
    assertThat(Files.getAttribute(root.resolve("var/lib/agentledger/v0"), "unix:uid"))
        .isEqualTo(uid);
  }
}
