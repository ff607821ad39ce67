package dev.agentledger.deploy.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.deploy.preflight.Finding.Level;
import dev.agentledger.deploy.preflight.HostProbe.ClockStatus;
import dev.agentledger.deploy.preflight.HostProbe.FsyncLatency;
import dev.agentledger.node.config.CpuList;
import dev.agentledger.node.config.HostPort;
import dev.agentledger.node.config.SigBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PreflightTest {
  static final Path DATA = Path.of("/data");

  static Preflight.Options options(SigBackend backend) {
    return new Preflight.Options(
        DATA, backend, CpuList.empty(), List.of(), Preflight.Options.defaultArchs(), 16);
  }

  static Finding find(List<Finding> findings, String check) {
    return findings.stream()
        .filter(f -> f.check().equals(check))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no finding " + check + " in " + findings));
  }

  static List<Finding> run(FakeHostProbe host, SigBackend backend) {
    return Preflight.run(host, options(backend));
  }

  @Test
  void aWellTunedHostPassesEverythingItCanKnow() {
    List<Finding> findings =
        run(
            FakeHostProbe.goodHost()
                .command("clinfo", 0, "Platform #0: PoCL\n `-- Device #0: cpu-x86\n"),
            SigBackend.CPU);
    assertThat(findings).allSatisfy(f -> assertThat(f.level()).as(f.line()).isEqualTo(Level.PASS));
    assertThat(Preflight.worst(findings)).isEqualTo(Level.PASS);
    assertThat(find(findings, "cpu.avx2").line())
        .isEqualTo(
            "PASS cpu.avx2: AVX2 present; enables 256-bit Vector API lanes for multi-buffer SHA-256 and CPU batch Ed25519 field arithmetic");
    assertThat(find(findings, "net.link.enp1s0").detail()).isEqualTo("enp1s0 up at 25000 Mb/s");
    // 25 Gb/s / 8 / 326 B per run
    assertThat(find(findings, "net.link.enp1s0").impact()).contains("~9,585,889 runs/s");
    assertThat(find(findings, "memory.hugepages").detail())
        .isEqualTo("1024 x 2048 kB reserved, 1000 free");
    assertThat(find(findings, "opencl.devices").detail()).isEqualTo("1 device(s): cpu-x86 [PoCL]");
  }

  @Test
  void missingCpuFeaturesWarnAndSayWhatIsLost() {
    FakeHostProbe host =
        FakeHostProbe.goodHost().file("/proc/cpuinfo", "flags\t\t: fpu sse2 sse4_2\n");
    List<Finding> findings = run(host, SigBackend.CPU);
    assertThat(find(findings, "cpu.avx2").level()).isEqualTo(Level.WARN);
    assertThat(find(findings, "cpu.avx2").impact()).contains("128-bit SSE lanes");
    assertThat(find(findings, "cpu.sha_ni").level()).isEqualTo(Level.WARN);
    assertThat(find(findings, "cpu.avx512").detail()).isEqualTo("AVX-512 absent");

    FakeHostProbe arm =
        FakeHostProbe.goodHost()
            .file("/proc/cpuinfo", "processor\t: 0\nFeatures\t: fp asimd aes sha1 sha2 sve\n");
    List<Finding> armFindings = run(arm, SigBackend.CPU);
    assertThat(find(armFindings, "cpu.simd").detail())
        .isEqualTo("ASIMD (NEON) present, SVE present");
    assertThat(find(armFindings, "cpu.sha2").level()).isEqualTo(Level.PASS);

    FakeHostProbe unreadable = FakeHostProbe.goodHost();
    unreadable.files.remove("/proc/cpuinfo");
    assertThat(find(run(unreadable, SigBackend.CPU), "cpu.features").detail())
        .startsWith("unknown");
  }

  @Test
  void ioUringStatesAreExplained() {
    FakeHostProbe host = FakeHostProbe.goodHost().file("/proc/sys/kernel/io_uring_disabled", "2\n");
    assertThat(find(run(host, SigBackend.CPU), "kernel.io_uring").line())
        .startsWith(
            "WARN kernel.io_uring: io_uring_disabled=2: io_uring disabled for everyone; the transport uses epoll");
    host.file("/proc/sys/kernel/io_uring_disabled", "1\n")
        .file("/proc/sys/kernel/io_uring_group", "1234\n");
    assertThat(find(run(host, SigBackend.CPU), "kernel.io_uring").fix()).contains("group 1234");
    host.files.remove("/proc/sys/kernel/io_uring_disabled");
    assertThat(find(run(host, SigBackend.CPU), "kernel.io_uring").level()).isEqualTo(Level.PASS);
    host.file("/proc/self/status", "Seccomp:\t2\n");
    assertThat(find(run(host, SigBackend.CPU), "kernel.io_uring").detail())
        .contains("seccomp filter is active");
    host.file("/proc/sys/kernel/osrelease", "4.19.0-amd64\n");
    List<Finding> old = run(host, SigBackend.CPU);
    assertThat(find(old, "kernel.version").impact()).contains("no io_uring before 5.1");
    assertThat(old).noneMatch(f -> f.check().equals("kernel.io_uring"));
    host.file("/proc/sys/kernel/osrelease", "5.10.0-28-amd64\n");
    assertThat(find(run(host, SigBackend.CPU), "kernel.version").level()).isEqualTo(Level.WARN);
  }

  @Test
  void lowLimitsWarn() {
    FakeHostProbe host =
        FakeHostProbe.goodHost()
            .file(
                "/proc/self/limits",
                """
        Limit                     Soft Limit           Hard Limit           Units
        Max open files            1024                 4096                 files
        Max locked memory         8388608              8388608              bytes
        """);
    List<Finding> findings = run(host, SigBackend.CPU);
    assertThat(find(findings, "limits.memlock").detail()).startsWith("8.0 MiB");
    assertThat(find(findings, "limits.memlock").level()).isEqualTo(Level.WARN);
    assertThat(find(findings, "limits.nofile").detail()).startsWith("1024 ");
    assertThat(find(findings, "limits.nofile").level()).isEqualTo(Level.WARN);
  }

  @Test
  void theJvmHugePageOptionIsCheckedAgainstTheHost() {
    long heap = 4L << 30; // 4 GiB: 2048 pages of 2 MiB
    FakeHostProbe reserved =
        FakeHostProbe.goodHost()
            .file(
                "/proc/meminfo",
                "MemTotal: 65536000 kB\nHugePages_Total: 2048\nHugePages_Free: 2000\nHugepagesize: 2048 kB\n");
    Finding tooFew = Preflight.jvmHugePages(reserved, "-Xss1m -XX:+UseLargePages", heap);
    assertThat(tooFew.level()).isEqualTo(Level.FAIL);
    assertThat(tooFew.detail())
        .isEqualTo(
            "-XX:+UseLargePages: the 4096 MiB heap needs 2048 free 2048 kB huge pages, 2000 are free");
    assertThat(tooFew.line()).contains("tune-host.sh --apply --hugepages 2048");
    Finding fits = Preflight.jvmHugePages(reserved, "-XX:+UseLargePages", 2000L << 21);
    assertThat(fits.level()).isEqualTo(Level.PASS);

    FakeHostProbe never =
        FakeHostProbe.goodHost()
            .file("/sys/kernel/mm/transparent_hugepage/enabled", "always madvise [never]\n");
    assertThat(Preflight.jvmHugePages(never, "-XX:+UseTransparentHugePages", heap).level())
        .isEqualTo(Level.FAIL);
    FakeHostProbe madvise =
        FakeHostProbe.goodHost()
            .file("/sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never\n");
    Finding thp = Preflight.jvmHugePages(madvise, "-XX:+UseTransparentHugePages", heap);
    assertThat(thp.level()).isEqualTo(Level.PASS);
    assertThat(thp.detail()).endsWith("transparent huge pages: madvise");

    Finding none = Preflight.jvmHugePages(madvise, "", heap);
    assertThat(none.level()).isEqualTo(Level.WARN);
    assertThat(none.detail()).isEqualTo("no huge-page option in AGENTLEDGER_JAVA_OPTS");
  }

  @Test
  void hugepagesAndThp() {
    FakeHostProbe host =
        FakeHostProbe.goodHost()
            .file(
                "/proc/meminfo",
                "MemTotal:  4000000 kB\nHugePages_Total:       0\nHugePages_Free:        0\nHugepagesize:       2048 kB\n")
            .file("/sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never\n");
    List<Finding> findings = run(host, SigBackend.CPU);
    assertThat(find(findings, "memory.hugepages").level()).isEqualTo(Level.WARN);
    assertThat(find(findings, "memory.thp").detail()).isEqualTo("transparent huge pages: always");
    assertThat(find(findings, "memory.thp").level()).isEqualTo(Level.WARN);
    assertThat(find(findings, "memory").level()).isEqualTo(Level.WARN);
  }

  @Test
  void diskSpaceAndFsync() {
    FakeHostProbe host = FakeHostProbe.goodHost();
    host.usable = OptionalLong.of(100L << 20);
    host.fsync = Optional.of(new FsyncLatency(Path.of("/"), 16, 12_500_000, 40_000_000));
    List<Finding> findings = run(host, SigBackend.CPU);
    assertThat(find(findings, "disk.free").level()).isEqualTo(Level.FAIL);
    assertThat(find(findings, "disk.free").detail()).isEqualTo("100.0 MiB free for /data");
    assertThat(find(findings, "disk.fsync").detail())
        .isEqualTo(
            "write+fsync of 4 KiB in / (/data does not exist yet): median 12.50 ms, max 40.00 ms over 16");
    assertThat(find(findings, "disk.fsync").level()).isEqualTo(Level.WARN);
    assertThat(Preflight.worst(findings)).isEqualTo(Level.FAIL);
    host.usable = OptionalLong.empty();
    host.fsync = Optional.empty();
    assertThat(find(run(host, SigBackend.CPU), "disk.free").level()).isEqualTo(Level.FAIL);
    assertThat(find(run(host, SigBackend.CPU), "disk.fsync").detail())
        .startsWith("could not measure");
  }

  @Test
  void clockFromAdjtimexThenTimedatectlElseUnknown() {
    FakeHostProbe host = FakeHostProbe.goodHost();
    assertThat(find(run(host, SigBackend.CPU), "clock.sync").level()).isEqualTo(Level.PASS);
    host.clock =
        Optional.of(new ClockStatus(ClockStatus.TIME_ERROR, ClockStatus.STA_UNSYNC, 16_000_000));
    assertThat(find(run(host, SigBackend.CPU), "clock.sync").detail())
        .isEqualTo("NOT synchronised; kernel (adjtimex): state 5, status 0x40, max error 16000 ms");
    host.clock = Optional.empty();
    host.command("timedatectl", 0, "yes\n");
    assertThat(find(run(host, SigBackend.CPU), "clock.sync").detail())
        .isEqualTo("synchronised (timedatectl NTPSynchronized=yes)");
    host.command("timedatectl", 1, "");
    Finding unknown = find(run(host, SigBackend.CPU), "clock.sync");
    assertThat(unknown.level()).isEqualTo(Level.WARN);
    assertThat(unknown.detail()).startsWith("unknown:");
  }

  @Test
  void nicSpeeds() {
    FakeHostProbe host = FakeHostProbe.goodHost().file("/sys/class/net/enp1s0/speed", "1000\n");
    assertThat(find(run(host, SigBackend.CPU), "net.link.enp1s0").level()).isEqualTo(Level.WARN);
    host.file("/sys/class/net/enp1s0/speed", "-1\n");
    assertThat(find(run(host, SigBackend.CPU), "net.link.enp1s0").detail())
        .isEqualTo("enp1s0 up, speed unknown");
    host.paths.remove("/sys/class/net/enp1s0/device");
    assertThat(find(run(host, SigBackend.CPU), "net.link").detail())
        .startsWith("no physical NIC visible");
  }

  @Test
  void gpusAgainstPackagedArchsAndDriver() {
    FakeHostProbe host =
        FakeHostProbe.goodHost()
            .command(
                "nvidia-smi",
                0,
                "0, NVIDIA A10, 550.54.15, 8.6\n1, NVIDIA H100 80GB HBM3, 550.54.15, 9.0\n2, NVIDIA B200, 570.10, 10.0\n");
    List<Finding> findings = run(host, SigBackend.CUDA);
    assertThat(find(findings, "gpu.nvidia.0").line())
        .isEqualTo(
            "PASS gpu.nvidia.0: NVIDIA A10, driver 550.54.15, compute capability 8.6 (sm_86); packaged sm_80 kernels run natively on it (same major, device minor >= sm_80)");
    assertThat(find(findings, "gpu.nvidia.1").impact()).startsWith("packaged sm_90 kernels");
    Finding blackwell = find(findings, "gpu.nvidia.2");
    assertThat(blackwell.level()).isEqualTo(Level.WARN);
    assertThat(blackwell.impact())
        .contains("no packaged cubin (sm_80, sm_90) suits sm_100")
        .contains("works on newer GPUs");

    FakeHostProbe old =
        FakeHostProbe.goodHost().command("nvidia-smi", 0, "0, Tesla T4, 470.82.01, 7.5\n");
    assertThat(find(run(old, SigBackend.CUDA), "gpu.nvidia.0").level()).isEqualTo(Level.FAIL);
    assertThat(find(run(old, SigBackend.CPU), "gpu.nvidia.0").level()).isEqualTo(Level.WARN);

    FakeHostProbe none = FakeHostProbe.goodHost();
    assertThat(find(run(none, SigBackend.CUDA), "gpu.nvidia").level()).isEqualTo(Level.FAIL);
    assertThat(find(run(none, SigBackend.CPU), "gpu.nvidia").line())
        .startsWith("PASS gpu.nvidia: no NVIDIA GPU; not needed by sig_backend cpu");

    FakeHostProbe procOnly =
        FakeHostProbe.goodHost()
            .file(
                "/proc/driver/nvidia/version",
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.129.03  Thu Oct 19 18:56:32 UTC 2023\n")
            .dir("/proc/driver/nvidia/gpus", "0000:3b:00.0");
    assertThat(find(run(procOnly, SigBackend.CUDA), "gpu.nvidia").detail())
        .contains("driver 535.129.03")
        .contains("compute capability unknown");
  }

  @Test
  void cubinCompatibilityRule() {
    List<String> archs = List.of("sm_80", "sm_86", "sm_90");
    assertThat(Preflight.matchingCubin("8.9", archs)).contains("sm_86");
    assertThat(Preflight.matchingCubin("8.0", archs)).contains("sm_80");
    assertThat(Preflight.matchingCubin("9.0", archs)).contains("sm_90");
    assertThat(Preflight.matchingCubin("7.5", archs)).isEmpty();
    assertThat(Preflight.matchingCubin("12.0", archs)).isEmpty();
  }

  @Test
  void openClDevicesAndTheSelectedBackend() {
    FakeHostProbe host = FakeHostProbe.goodHost();
    assertThat(find(run(host, SigBackend.OPENCL), "opencl.devices").detail())
        .isEqualTo("unknown: clinfo is not installed");
    host.command("clinfo", 0, "");
    assertThat(find(run(host, SigBackend.OPENCL), "opencl.devices").level()).isEqualTo(Level.FAIL);
    assertThat(find(run(host, SigBackend.CPU), "opencl.devices").level()).isEqualTo(Level.PASS);
    host.command(
        "clinfo",
        0,
        "Platform #0: NVIDIA CUDA\n `-- Device #0: NVIDIA H100\nPlatform #1: PoCL\n `-- Device #0: cpu\n");
    assertThat(find(run(host, SigBackend.OPENCL), "opencl.devices").detail())
        .isEqualTo("2 device(s): NVIDIA H100 [NVIDIA CUDA]; cpu [PoCL]");
  }

  @Test
  void pinningAndPorts() {
    FakeHostProbe host = FakeHostProbe.goodHost();
    host.busyPorts.add(7200);
    Preflight.Options options =
        new Preflight.Options(
            DATA,
            SigBackend.CPU,
            CpuList.parse("14-17"),
            List.of(new HostPort("0.0.0.0", 7100), new HostPort("0.0.0.0", 7200)),
            Preflight.Options.defaultArchs(),
            16);
    List<Finding> findings = Preflight.run(host, options);
    assertThat(find(findings, "cpu.pinning").line())
        .startsWith("FAIL cpu.pinning: pinned CPUs [16, 17] are not online (online: 0-15)");
    assertThat(find(findings, "net.port.7200").detail())
        .isEqualTo("0.0.0.0:7200 cannot be bound now");
    assertThat(findings).noneMatch(f -> f.check().equals("net.port.7100"));
  }
}
