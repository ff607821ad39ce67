package dev.agentledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tune-host.sh: the dry run changes nothing (on a scratch tree and on this very host); apply and
 * revert run only against a scratch root, and revert restores it byte for byte.
 */
class TuneHostScriptTest {
  static Shell.Result tune(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("bash", Shell.script("tune-host.sh").toString()));
    command.addAll(List.of(args));
    return Shell.run(60, command);
  }

  static void write(Path root, String path, String text) throws IOException {
    Path file = root.resolve(path.substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  static String read(Path root, String path) throws IOException {
    return Files.readString(root.resolve(path.substring(1))).strip();
  }

  /** A small host: 8 CPUs, one NIC with two queue interrupts, untuned sysctls, THP always. */
  static Path fakeHost(Path dir) throws IOException {
    Path root = Files.createDirectories(dir.resolve("root"));
    write(root, "/proc/sys/net/core/rmem_max", "212992\n");
    write(root, "/proc/sys/net/core/wmem_max", "212992\n");
    write(root, "/proc/sys/net/ipv4/tcp_rmem", "4096\t131072\t6291456\n");
    write(root, "/proc/sys/net/ipv4/tcp_wmem", "4096\t16384\t4194304\n");
    write(root, "/proc/sys/net/core/somaxconn", "4096\n");
    write(root, "/proc/sys/net/ipv4/tcp_max_syn_backlog", "512\n");
    write(root, "/proc/sys/net/core/netdev_max_backlog", "1000\n");
    write(root, "/proc/sys/vm/nr_hugepages", "0\n");
    write(root, "/proc/sys/kernel/io_uring_disabled", "2\n");
    write(root, "/sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never\n");
    write(
        root,
        "/sys/kernel/mm/transparent_hugepage/defrag",
        "always defer defer+madvise [madvise] never\n");
    write(root, "/sys/devices/system/cpu/online", "0-7\n");
    for (int cpu = 0; cpu < 8; cpu++) {
      write(root, "/sys/devices/system/cpu/cpu" + cpu + "/cpufreq/scaling_governor", "powersave\n");
    }
    write(root, "/sys/class/net/enp1s0/device/msi_irqs/120", "msix\n");
    write(root, "/sys/class/net/enp1s0/device/msi_irqs/121", "msix\n");
    write(root, "/sys/class/net/lo/operstate", "unknown\n");
    write(root, "/proc/irq/120/smp_affinity_list", "0-7\n");
    write(root, "/proc/irq/121/smp_affinity_list", "3\n");
    write(root, "/etc/security/limits.d/90-agentledger.conf", "# an older hand-written version\n");
    return root;
  }

  /**
   * Every file and directory of the tree. Kernel files (under proc/ and sys/) are compared by the
   * value the kernel would show active ("[madvise]" selected, blanks squeezed), because that is
   * what writing a value back restores; files under etc/ are compared byte for byte.
   */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.toList()) {
        String name = root.relativize(path).toString();
        String value = Files.isRegularFile(path) ? Files.readString(path) : "<dir>";
        files.put(
            name, name.startsWith("proc/") || name.startsWith("sys/") ? active(value) : value);
      }
    }
    return files;
  }

  static String active(String kernelValue) {
    String value = kernelValue.strip().replaceAll("\\s+", " ");
    Matcher bracket = Pattern.compile("\\[([^]]+)]").matcher(value);
    return bracket.find() ? bracket.group(1) : value;
  }

  @Test
  void dryRunOnAScratchTreeChangesNothingAndExplainsEachChange(@TempDir Path dir) throws Exception {
    Path root = fakeHost(dir);
    Map<String, String> before = snapshot(root);
    Shell.Result result = tune("--root", root.toString(), "--cpus", "2-5");
    assertThat(result.status()).as(result.output()).isZero();
    assertThat(snapshot(root)).isEqualTo(before);
    assertThat(result.output())
        .contains(
            "CHANGE  /proc/sys/net/core/rmem_max: 212992 -> 134217728 (socket receive buffer ceiling")
        .contains(
            "CHANGE  /proc/sys/net/ipv4/tcp_rmem: 4096 131072 6291456 -> 4096 1048576 134217728")
        .contains("CHANGE  /sys/kernel/mm/transparent_hugepage/enabled: always -> madvise")
        .contains("OK      /sys/kernel/mm/transparent_hugepage/defrag = madvise")
        .contains(
            "CHANGE  /sys/devices/system/cpu/cpu7/cpufreq/scaling_governor: powersave -> performance")
        .contains(
            "CHANGE  /proc/irq/120/smp_affinity_list: 0-7 -> 0-1,6-7 (enp1s0 queue interrupt 120 off the node's pinned CPUs 2-5)")
        .contains("CHANGE  /etc/security/limits.d/90-agentledger.conf: replace")
        .contains("CHANGE  /etc/sysctl.d/90-agentledger.conf: create")
        .contains("NOTE    /proc/sys/kernel/io_uring_disabled = 2")
        .contains("tune-host: 21 change(s) would be made");
  }

  @Test
  void applyThenRevertRestoresTheScratchTreeExactly(@TempDir Path dir) throws Exception {
    Path root = fakeHost(dir);
    Map<String, String> before = snapshot(root);
    Shell.Result apply =
        tune(
            "--apply",
            "--root",
            root.toString(),
            "--cpus",
            "2-5",
            "--hugepages",
            "512",
            "--user",
            "ledger");
    assertThat(apply.status()).as(apply.output()).isZero();
    assertThat(read(root, "/proc/sys/net/core/rmem_max")).isEqualTo("134217728");
    assertThat(read(root, "/proc/sys/net/ipv4/tcp_wmem")).isEqualTo("4096 1048576 134217728");
    assertThat(read(root, "/proc/sys/vm/nr_hugepages")).isEqualTo("512");
    assertThat(read(root, "/sys/kernel/mm/transparent_hugepage/enabled")).isEqualTo("madvise");
    assertThat(read(root, "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"))
        .isEqualTo("performance");
    assertThat(read(root, "/proc/irq/120/smp_affinity_list")).isEqualTo("0-1,6-7");
    assertThat(read(root, "/proc/irq/121/smp_affinity_list")).isEqualTo("0-1,6-7");
    assertThat(read(root, "/proc/sys/kernel/io_uring_disabled")).isEqualTo("2");
    assertThat(read(root, "/etc/sysctl.d/90-agentledger.conf"))
        .contains("net.core.rmem_max = 134217728")
        .contains("vm.nr_hugepages = 512");
    assertThat(read(root, "/etc/security/limits.d/90-agentledger.conf"))
        .contains("ledger hard memlock unlimited");

    Shell.Result again =
        tune(
            "--apply",
            "--root",
            root.toString(),
            "--cpus",
            "2-5",
            "--hugepages",
            "512",
            "--user",
            "ledger");
    assertThat(again.output()).contains("tune-host: 0 change(s) made");

    // A second, different apply must not lose the first originals.
    Shell.Result other =
        tune(
            "--apply",
            "--root",
            root.toString(),
            "--cpus",
            "4-7",
            "--hugepages",
            "512",
            "--user",
            "ledger");
    assertThat(read(root, "/proc/irq/120/smp_affinity_list")).as(other.output()).isEqualTo("0-3");

    Shell.Result revert = tune("--revert", "--root", root.toString());
    assertThat(revert.status()).as(revert.output()).isZero();
    assertThat(revert.output())
        .contains("REMOVED /etc/sysctl.d/90-agentledger.conf")
        .contains("RESTORED /proc/irq/121/smp_affinity_list = 3");
    Map<String, String> after = snapshot(root);
    // directories the script created stay behind, empty: etc/sysctl.d and the parents of its state
    // dir
    after
        .keySet()
        .removeIf(k -> k.equals("etc/sysctl.d") || k.equals("var") || k.equals("var/lib"));
    assertThat(after).isEqualTo(before);
    assertThat(tune("--revert", "--root", root.toString()).output()).contains("nothing to revert");
  }

  @Test
  void dryRunOnThisHostLeavesItsValuesAlone() throws Exception {
    Pattern change = Pattern.compile("(?m)^CHANGE  (/(?:proc|sys)/\\S+): (.*) -> ");
    Shell.Result first = tune("--dry-run");
    assertThat(first.status()).as(first.output()).isZero();
    Map<String, String> reported = new TreeMap<>();
    Matcher m = change.matcher(first.output());
    while (m.find()) {
      reported.put(m.group(1), m.group(2));
    }
    boolean sysctlConfBefore = Files.exists(Path.of("/etc/sysctl.d/90-agentledger.conf"));
    Shell.Result second = tune("--dry-run");
    assertThat(second.output()).isEqualTo(first.output());
    for (Map.Entry<String, String> entry : reported.entrySet()) {
      // InputStream, not Files.readString: numeric sysctls answer a 1-byte first read with one
      // digit
      String value;
      try (java.io.InputStream in = Files.newInputStream(Path.of(entry.getKey()))) {
        value = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
      }
      assertThat(active(value)).as(entry.getKey()).isEqualTo(entry.getValue());
    }
    assertThat(Files.exists(Path.of("/etc/sysctl.d/90-agentledger.conf")))
        .isEqualTo(sysctlConfBefore);
    assertThat(Path.of("/var/lib/agentledger-tune/saved.tsv")).doesNotExist();
  }

  @Test
  void refusesBadArguments(@TempDir Path dir) throws Exception {
    Path root = fakeHost(dir);
    assertThat(tune("--bogus").status()).isEqualTo(2);
    Shell.Result offline = tune("--root", root.toString(), "--cpus", "6-9");
    assertThat(offline.status()).isEqualTo(2);
    assertThat(offline.output()).contains("includes CPU 8, which is not online (0-7)");
    assertThat(tune("--root", root.toString(), "--hugepages", "lots").output())
        .contains("--hugepages 'lots' is not a count");
  }
}
