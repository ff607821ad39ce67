package dev.agentledger.deploy.preflight;

import dev.agentledger.deploy.preflight.Finding.Level;
import dev.agentledger.deploy.preflight.HostProbe.ClockStatus;
import dev.agentledger.deploy.preflight.HostProbe.CommandOutput;
import dev.agentledger.deploy.preflight.HostProbe.FsyncLatency;
import dev.agentledger.node.config.CpuList;
import dev.agentledger.node.config.HostPort;
import dev.agentledger.node.config.SigBackend;
import dev.agentledger.node.tx.AgentRunDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a host before a node runs on it and explains each finding: what was found, what it enables
 * or costs, and how to fix it. Pure: everything comes through a {@link HostProbe}.
 *
 * <p>Thresholds are conservative operator guidance, not measurements of this node: they say when a
 * setting is known to limit a ledger node (fsync latency bounds commit latency; link speed bounds
 * how many runs a validator can disseminate).
 */
public final class Preflight {
  /** CUDA 12 needs at least this Linux driver (CUDA toolkit release notes, table 3). */
  static final int MIN_CUDA12_DRIVER_MAJOR = 525;

  static final long GIB = 1L << 30;
  static final long MIB = 1L << 20;

  /** What the checks should know about the node that will run here. */
  public record Options(
      Path dataDir,
      SigBackend backend,
      CpuList cpus,
      List<HostPort> listenAddresses,
      List<String> packagedCudaArchs,
      int fsyncSamples) {

    public Options {
      listenAddresses = List.copyOf(listenAddresses);
      packagedCudaArchs = List.copyOf(packagedCudaArchs);
    }

    /** No configuration: the current directory as data directory, no backend preference. */
    public static Options withoutConfig(Path dataDir) {
      return new Options(dataDir, null, CpuList.empty(), List.of(), defaultArchs(), 16);
    }

    public static List<String> defaultArchs() {
      return List.of("sm_80", "sm_90");
    }
  }

  private final HostProbe probe;
  private final Options options;
  private final List<Finding> findings = new ArrayList<>();

  private Preflight(HostProbe probe, Options options) {
    this.probe = probe;
    this.options = options;
  }

  /** Runs every check, in a fixed order. */
  public static List<Finding> run(HostProbe probe, Options options) {
    Preflight preflight = new Preflight(probe, options);
    preflight.cpuFeatures();
    preflight.cpuPinning();
    preflight.memory();
    preflight.kernelAndIoUring();
    preflight.limits();
    preflight.hugepages();
    preflight.disk();
    preflight.clock();
    preflight.nics();
    preflight.ports();
    preflight.gpu();
    preflight.openCl();
    return List.copyOf(preflight.findings);
  }

  /** The worst level among the findings (PASS for none). */
  public static Level worst(List<Finding> findings) {
    return findings.stream().map(Finding::level).max(Enum::compareTo).orElse(Level.PASS);
  }

  private void add(Finding finding) {
    findings.add(finding);
  }

  // ---- CPU ---------------------------------------------------------------------------------

  void cpuFeatures() {
    Optional<String> cpuinfo = probe.read("/proc/cpuinfo");
    if (cpuinfo.isEmpty()) {
      add(
          Finding.warn(
              "cpu.features",
              "unknown: /proc/cpuinfo is not readable",
              "cannot tell which SIMD paths will run",
              "run preflight on the host itself"));
      return;
    }
    Set<String> flags = firstListField(cpuinfo.get(), "flags");
    if (!flags.isEmpty()) {
      x86(flags);
      return;
    }
    Set<String> features = firstListField(cpuinfo.get(), "Features");
    if (!features.isEmpty()) {
      arm(features);
      return;
    }
    add(
        Finding.warn(
            "cpu.features",
            "unknown: /proc/cpuinfo lists no 'flags' or 'Features'",
            "cannot tell which SIMD paths will run",
            ""));
  }

  private void x86(Set<String> flags) {
    if (flags.contains("avx2")) {
      add(
          Finding.pass(
              "cpu.avx2",
              "AVX2 present",
              "enables 256-bit Vector API lanes for multi-buffer SHA-256 and CPU batch Ed25519 field arithmetic"));
    } else {
      add(
          Finding.warn(
              "cpu.avx2",
              "AVX2 absent",
              "Vector API code runs on 128-bit SSE lanes or scalar fallbacks: CPU batch verification and multi-buffer hashing are much slower",
              "use a CPU with AVX2 (Haswell/Zen or newer), or offload signatures with sig_backend opencl/cuda"));
    }
    if (flags.contains("avx512f")) {
      String extras =
          (flags.contains("avx512ifma") ? ", IFMA (52-bit multiply-add)" : "")
              + (flags.contains("avx512vl") ? ", VL" : "");
      add(
          Finding.pass(
              "cpu.avx512",
              "AVX-512F present" + extras,
              "enables 512-bit Vector API lanes (twice the AVX2 width) for the same CPU paths"));
    } else {
      add(
          Finding.pass(
              "cpu.avx512",
              "AVX-512 absent",
              "the 256-bit AVX2 paths are used; AVX-512 would widen lanes to 512 bits"));
    }
    if (flags.contains("sha_ni")) {
      add(
          Finding.pass(
              "cpu.sha_ni",
              "SHA-NI present",
              "the JDK's SHA-256 intrinsic uses the SHA extensions: fast single-stream hashing of transaction ids and Merkle nodes"));
    } else {
      add(
          Finding.warn(
              "cpu.sha_ni",
              "SHA-NI absent",
              "single-stream SHA-256 falls back to the JDK's AVX2/scalar code, several times slower; the multi-buffer Vector API path and GPU tree hashing still help",
              "prefer CPUs with SHA extensions (Zen, Ice Lake and newer)"));
    }
  }

  private void arm(Set<String> features) {
    add(
        features.contains("asimd")
            ? Finding.pass(
                "cpu.simd",
                "ASIMD (NEON) present" + (features.contains("sve") ? ", SVE present" : ""),
                "enables 128-bit Vector API lanes"
                    + (features.contains("sve") ? " (SVE: scalable lanes)" : ""))
            : Finding.warn("cpu.simd", "no ASIMD", "Vector API code runs scalar", ""));
    add(
        features.contains("sha2")
            ? Finding.pass(
                "cpu.sha2",
                "SHA-2 instructions present",
                "the JDK's SHA-256 intrinsic uses them: fast single-stream hashing")
            : Finding.warn(
                "cpu.sha2",
                "SHA-2 instructions absent",
                "SHA-256 runs in software, several times slower",
                ""));
  }

  private static Set<String> firstListField(String text, String field) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(field) + "\\s*:\\s*(.*)$").matcher(text);
    if (!m.find()) {
      return Set.of();
    }
    return new HashSet<>(Arrays.asList(m.group(1).trim().split("\\s+")));
  }

  void cpuPinning() {
    Optional<String> online = probe.read("/sys/devices/system/cpu/online");
    CpuList parsed;
    try {
      parsed = online.map(s -> CpuList.parse(s.strip())).orElse(null);
    } catch (IllegalArgumentException e) {
      parsed = null;
    }
    final CpuList onlineCpus = parsed;
    if (onlineCpus == null) {
      add(
          Finding.warn(
              "cpu.online",
              "unknown: /sys/devices/system/cpu/online unreadable",
              "cannot check the CPU pinning list",
              ""));
      return;
    }
    CpuList pinned = options.cpus();
    if (pinned.isEmpty()) {
      add(
          Finding.pass(
              "cpu.online",
              onlineCpus.size() + " CPUs online (" + onlineCpus + "); node threads not pinned",
              "the scheduler places threads; pinning with 'cpus' isolates the hot stages from interrupts and other work"));
      return;
    }
    List<Integer> missing =
        Arrays.stream(pinned.toArray()).filter(c -> !onlineCpus.contains(c)).boxed().toList();
    if (!missing.isEmpty()) {
      add(
          Finding.fail(
              "cpu.pinning",
              "pinned CPUs " + missing + " are not online (online: " + onlineCpus + ")",
              "the node cannot pin its threads there; systemd refuses or ignores the CPUAffinity",
              "choose 'cpus' within " + onlineCpus));
      return;
    }
    String isolated = probe.read("/sys/devices/system/cpu/isolated").map(String::strip).orElse("");
    add(
        Finding.pass(
            "cpu.pinning",
            "pinned to "
                + pinned
                + " of "
                + onlineCpus.size()
                + " online CPUs"
                + (isolated.isEmpty() ? "" : "; isolated CPUs: " + isolated),
            "hot stages keep their caches; steer NIC interrupts elsewhere (tune-host.sh does)"));
  }

  void memory() {
    OptionalLong total = meminfo("MemTotal");
    if (total.isEmpty()) {
      add(Finding.warn("memory", "unknown: /proc/meminfo unreadable", "", ""));
      return;
    }
    long bytes = total.getAsLong() * 1024;
    add(
        bytes < 8 * GIB
            ? Finding.warn(
                "memory",
                human(bytes) + " RAM",
                "RocksDB block cache, mempool and the JVM heap compete for little memory",
                "8 GiB or more")
            : Finding.pass(
                "memory",
                human(bytes) + " RAM",
                "room for the JVM heap, RocksDB caches and off-heap batch buffers"));
  }

  // ---- kernel ------------------------------------------------------------------------------

  void kernelAndIoUring() {
    String release = probe.read("/proc/sys/kernel/osrelease").map(String::strip).orElse("");
    Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
    int major = -1;
    int minor = -1;
    if (m.find()) {
      major = Integer.parseInt(m.group(1));
      minor = Integer.parseInt(m.group(2));
    }
    boolean hasIoUring = major > 5 || (major == 5 && minor >= 1);
    if (major < 0) {
      add(
          Finding.warn(
              "kernel.version",
              "unknown (/proc/sys/kernel/osrelease unreadable)",
              "cannot tell whether io_uring exists",
              ""));
    } else if (!hasIoUring) {
      add(
          Finding.warn(
              "kernel.version",
              "Linux " + release,
              "no io_uring before 5.1: the node's Netty transport uses epoll",
              "a 5.15+ (LTS) kernel"));
    } else if (major == 5 && minor < 15) {
      add(
          Finding.warn(
              "kernel.version",
              "Linux " + release,
              "early io_uring: fewer features (multishot accept/receive, registered buffers); the transport may choose epoll",
              "a 5.15+ (LTS) kernel"));
    } else {
      add(
          Finding.pass(
              "kernel.version",
              "Linux " + release,
              "io_uring with multishot accept/receive and registered buffers available to the Netty transport"));
    }
    if (major >= 0 && !hasIoUring) {
      return;
    }
    Optional<String> disabled = probe.read("/proc/sys/kernel/io_uring_disabled").map(String::strip);
    String seccomp = probe.read("/proc/self/status").flatMap(s -> field(s, "Seccomp")).orElse("");
    String seccompNote =
        "2".equals(seccomp)
            ? "; a seccomp filter is active here (container?) and may block io_uring_setup"
            : "";
    if (disabled.isEmpty()) {
      add(
          seccompNote.isEmpty()
              ? Finding.pass(
                  "kernel.io_uring",
                  "allowed (no io_uring_disabled sysctl: kernel before 6.6, io_uring on by default)",
                  "enables the io_uring transport for peer and client sockets")
              : Finding.warn(
                  "kernel.io_uring",
                  "allowed by the kernel" + seccompNote,
                  "if blocked, the transport falls back to epoll (works, more syscalls per message)",
                  "allow io_uring_* syscalls in the seccomp profile"));
      return;
    }
    switch (disabled.get()) {
      case "0" ->
          add(
              seccompNote.isEmpty()
                  ? Finding.pass(
                      "kernel.io_uring",
                      "io_uring_disabled=0: allowed for all processes",
                      "enables the io_uring transport for peer and client sockets")
                  : Finding.warn(
                      "kernel.io_uring",
                      "io_uring_disabled=0" + seccompNote,
                      "if blocked, the transport falls back to epoll",
                      "allow io_uring_* syscalls in the seccomp profile"));
      case "1" -> {
        String group = probe.read("/proc/sys/kernel/io_uring_group").map(String::strip).orElse("?");
        add(
            Finding.warn(
                "kernel.io_uring",
                "io_uring_disabled=1: only CAP_SYS_ADMIN or group " + group + " may create rings",
                "the unprivileged service user falls back to epoll",
                "add the service user to group " + group + " or set kernel.io_uring_disabled=0"));
      }
      case "2" ->
          add(
              Finding.warn(
                  "kernel.io_uring",
                  "io_uring_disabled=2: io_uring disabled for everyone",
                  "the transport uses epoll (works, more syscalls per message)",
                  "sysctl kernel.io_uring_disabled=0 (tune-host.sh reports it)"));
      default ->
          add(
              Finding.warn(
                  "kernel.io_uring",
                  "io_uring_disabled=" + disabled.get() + " (unknown value)",
                  "",
                  ""));
    }
  }

  void limits() {
    Optional<String> limits = probe.read("/proc/self/limits");
    if (limits.isEmpty()) {
      add(Finding.warn("limits", "unknown: /proc/self/limits unreadable", "", ""));
      return;
    }
    String context = " (of this shell; the generated systemd unit sets its own)";
    long memlock = softLimit(limits.get(), "Max locked memory");
    if (memlock == Long.MIN_VALUE) {
      add(Finding.warn("limits.memlock", "unknown", "", ""));
    } else if (memlock < 0 || memlock >= 64 * MIB) {
      add(
          Finding.pass(
              "limits.memlock",
              (memlock < 0 ? "unlimited" : human(memlock)) + context,
              "io_uring rings and registered buffers can be locked"));
    } else {
      add(
          Finding.warn(
              "limits.memlock",
              human(memlock) + context,
              "io_uring rings and registered buffers count as locked memory on older kernels; too little makes ring setup fail and the transport fall back",
              "LimitMEMLOCK=infinity (in the unit) or memlock in /etc/security/limits.d (tune-host.sh --apply)"));
    }
    long nofile = softLimit(limits.get(), "Max open files");
    if (nofile == Long.MIN_VALUE) {
      add(Finding.warn("limits.nofile", "unknown", "", ""));
    } else if (nofile < 0 || nofile >= 65536) {
      add(
          Finding.pass(
              "limits.nofile",
              (nofile < 0 ? "unlimited" : Long.toString(nofile)) + context,
              "room for many client connections, peers and RocksDB files"));
    } else {
      add(
          Finding.warn(
              "limits.nofile",
              nofile + context,
              "each client connection and RocksDB table file takes a descriptor; a node can run out under load",
              "LimitNOFILE=1048576 (in the unit) or nofile in /etc/security/limits.d"));
    }
  }

  /** Soft limit in the limit's unit; -1 for unlimited; MIN_VALUE when absent. */
  static long softLimit(String limits, String name) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s+(\\S+)\\s+(\\S+)").matcher(limits);
    if (!m.find()) {
      return Long.MIN_VALUE;
    }
    if (m.group(1).equals("unlimited")) {
      return -1;
    }
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }

  void hugepages() {
    OptionalLong total = meminfo("HugePages_Total");
    OptionalLong free = meminfo("HugePages_Free");
    OptionalLong size = meminfo("Hugepagesize");
    if (total.isEmpty()) {
      add(Finding.warn("memory.hugepages", "unknown: no HugePages_Total in /proc/meminfo", "", ""));
    } else if (total.getAsLong() == 0) {
      add(
          Finding.warn(
              "memory.hugepages",
              "none reserved",
              "the JVM cannot back its heap and off-heap buffers with huge pages (-XX:+UseLargePages): more TLB misses on large batches",
              "tune-host.sh --apply reserves them (vm.nr_hugepages)"));
    } else {
      add(
          Finding.pass(
              "memory.hugepages",
              total.getAsLong()
                  + " x "
                  + size.orElse(0)
                  + " kB reserved, "
                  + free.orElse(0)
                  + " free",
              "the JVM can use huge pages (-XX:+UseLargePages) for the heap and large buffers"));
    }
    Optional<String> thp =
        probe.read("/sys/kernel/mm/transparent_hugepage/enabled").map(Preflight::bracketed);
    if (thp.isEmpty()) {
      add(
          Finding.warn(
              "memory.thp",
              "unknown: /sys/kernel/mm/transparent_hugepage/enabled unreadable",
              "",
              ""));
    } else if (thp.get().equals("always")) {
      add(
          Finding.warn(
              "memory.thp",
              "transparent huge pages: always",
              "khugepaged compaction can stall threads at random and bloat RocksDB's memory",
              "madvise (tune-host.sh --apply): the JVM still opts in with -XX:+UseTransparentHugePages"));
    } else {
      add(
          Finding.pass(
              "memory.thp",
              "transparent huge pages: " + thp.get(),
              thp.get().equals("madvise")
                  ? "the JVM opts in where it asks (-XX:+UseTransparentHugePages); nothing else is compacted behind its back"
                  : "no background compaction stalls; reserved huge pages remain usable"));
    }
  }

  /**
   * Whether the validator JVM's huge-page option ({@code AGENTLEDGER_JAVA_OPTS}, as the unit sets
   * it) can take effect on this host with a heap of {@code heapBytes}: {@code
   * -XX:+UseTransparentHugePages} needs the kernel's THP mode madvise or always; {@code
   * -XX:+UseLargePages} alone needs the heap to fit in the free reserved huge pages (else the JVM
   * falls back to small pages with a warning). Neither option: a warning that the heap uses small
   * pages.
   */
  public static Finding jvmHugePages(HostProbe probe, String javaOpts, long heapBytes) {
    Preflight preflight = new Preflight(probe, Options.withoutConfig(Path.of(".")));
    return preflight.jvmHugePages(javaOpts == null ? "" : javaOpts, heapBytes);
  }

  private Finding jvmHugePages(String javaOpts, long heapBytes) {
    List<String> opts = List.of(javaOpts.strip().split("\\s+"));
    boolean thp = opts.contains("-XX:+UseTransparentHugePages");
    boolean large = opts.contains("-XX:+UseLargePages");
    String heap = heapBytes / MIB + " MiB heap";
    if (thp) {
      Optional<String> mode =
          probe.read("/sys/kernel/mm/transparent_hugepage/enabled").map(Preflight::bracketed);
      if (mode.isPresent() && mode.get().equals("never")) {
        return Finding.fail(
            "jvm.hugepages",
            "-XX:+UseTransparentHugePages, but transparent huge pages are 'never' here",
            "the JVM disables the option and the " + heap + " stays on small pages",
            "tune-host.sh --apply (THP madvise), or --huge-pages reserved or off in the unit");
      }
      return Finding.pass(
          "jvm.hugepages",
          "-XX:+UseTransparentHugePages, transparent huge pages: " + mode.orElse("unknown"),
          "the " + heap + " is backed by transparent huge pages");
    }
    if (large) {
      OptionalLong free = meminfo("HugePages_Free");
      OptionalLong sizeKb = meminfo("Hugepagesize");
      if (free.isEmpty() || sizeKb.isEmpty() || sizeKb.getAsLong() <= 0) {
        return Finding.warn(
            "jvm.hugepages",
            "-XX:+UseLargePages, reserved huge pages unknown (no HugePages_Free in /proc/meminfo)",
            "the JVM may fall back to small pages",
            "check vm.nr_hugepages");
      }
      long pageBytes = sizeKb.getAsLong() * 1024;
      long needed = (heapBytes + pageBytes - 1) / pageBytes;
      if (free.getAsLong() < needed) {
        return Finding.fail(
            "jvm.hugepages",
            "-XX:+UseLargePages: the "
                + heap
                + " needs "
                + needed
                + " free "
                + sizeKb.getAsLong()
                + " kB huge pages, "
                + free.getAsLong()
                + " are free",
            "the JVM falls back to small pages with a warning",
            "tune-host.sh --apply --hugepages " + needed + ", or --huge-pages thp in the unit");
      }
      return Finding.pass(
          "jvm.hugepages",
          "-XX:+UseLargePages: " + free.getAsLong() + " free huge pages hold the " + heap,
          "the heap is backed by the reserved huge pages");
    }
    return Finding.warn(
        "jvm.hugepages",
        "no huge-page option in AGENTLEDGER_JAVA_OPTS",
        "the " + heap + " uses small pages: more TLB misses on large batches",
        "cluster systemd --huge-pages thp (the default) sets -XX:+UseTransparentHugePages");
  }

  static String bracketed(String text) {
    Matcher m = Pattern.compile("\\[(\\w+)]").matcher(text);
    return m.find() ? m.group(1) : text.strip();
  }

  // ---- disk --------------------------------------------------------------------------------

  void disk() {
    Path dir = options.dataDir();
    OptionalLong usable = probe.usableBytes(dir);
    if (usable.isEmpty()) {
      add(
          Finding.fail(
              "disk.free",
              "cannot stat the file system of " + dir,
              "the node cannot store batches, certificates and state there",
              "create the data directory or fix data_dir"));
    } else if (usable.getAsLong() < GIB) {
      add(
          Finding.fail(
              "disk.free",
              human(usable.getAsLong()) + " free for " + dir,
              "RocksDB stops accepting writes when the disk fills; the node would halt",
              "at least 50 GiB free"));
    } else if (usable.getAsLong() < 50 * GIB) {
      add(
          Finding.warn(
              "disk.free",
              human(usable.getAsLong()) + " free for " + dir,
              "enough to start; a busy ledger fills this within hours without pruning",
              "50 GiB or more, or enable pruning"));
    } else {
      add(
          Finding.pass(
              "disk.free",
              human(usable.getAsLong()) + " free for " + dir,
              "room for batches, certificates, state and compaction headroom"));
    }
    Optional<FsyncLatency> fsync = probe.fsyncLatency(dir, options.fsyncSamples());
    if (fsync.isEmpty()) {
      add(
          Finding.warn(
              "disk.fsync",
              "could not measure in " + dir + " (not writable?)",
              "commit latency depends on it: every commit waits for one fsync",
              "run preflight as the service user with the data directory created"));
      return;
    }
    FsyncLatency f = fsync.get();
    String where =
        f.directory().equals(dir)
            ? dir.toString()
            : f.directory() + " (" + dir + " does not exist yet)";
    String detail =
        "write+fsync of 4 KiB in "
            + where
            + ": median "
            + millis(f.medianNs())
            + ", max "
            + millis(f.maxNs())
            + " over "
            + f.samples();
    if (f.medianNs() < 2_000_000) {
      add(
          Finding.pass(
              "disk.fsync",
              detail,
              "durable commits add little latency (NVMe with power-loss protection or similar)"));
    } else {
      add(
          Finding.warn(
              "disk.fsync",
              detail,
              "every commit waits for one fsync, so commit latency is at least the median",
              "put data_dir on NVMe with power-loss protection"));
    }
  }

  // ---- clock -------------------------------------------------------------------------------

  void clock() {
    Optional<ClockStatus> kernel = probe.clock();
    if (kernel.isPresent()) {
      ClockStatus c = kernel.get();
      String detail =
          "kernel (adjtimex): state "
              + c.state()
              + ", status 0x"
              + Integer.toHexString(c.status())
              + ", max error "
              + c.maxErrorUs() / 1000
              + " ms";
      add(
          c.synchronised()
              ? Finding.pass(
                  "clock.sync",
                  "synchronised; " + detail,
                  "run timestamps and latency measurements across validators are comparable")
              : Finding.warn(
                  "clock.sync",
                  "NOT synchronised; " + detail,
                  "consensus stays safe, but run timestamps, timeouts and cross-node latency figures drift",
                  "run chrony or systemd-timesyncd (PTP where available)"));
      return;
    }
    Optional<CommandOutput> timedatectl =
        probe.command("timedatectl", "show", "-p", "NTPSynchronized", "--value");
    if (timedatectl.isPresent() && timedatectl.get().exitStatus() == 0) {
      String value = timedatectl.get().stdout().strip();
      if (value.equals("yes")) {
        add(
            Finding.pass(
                "clock.sync",
                "synchronised (timedatectl NTPSynchronized=yes)",
                "run timestamps and latency measurements across validators are comparable"));
        return;
      }
      if (value.equals("no")) {
        add(
            Finding.warn(
                "clock.sync",
                "NOT synchronised (timedatectl NTPSynchronized=no)",
                "run timestamps, timeouts and cross-node latency figures drift",
                "run chrony or systemd-timesyncd"));
        return;
      }
    }
    add(
        Finding.warn(
            "clock.sync",
            "unknown: adjtimex unavailable to this process and timedatectl gave no answer",
            "cannot tell whether timestamps agree across validators",
            "check chronyc tracking / timedatectl by hand"));
  }

  // ---- network -----------------------------------------------------------------------------

  void nics() {
    List<String> physical = new ArrayList<>();
    for (String name : probe.list("/sys/class/net")) {
      if (probe.exists("/sys/class/net/" + name + "/device")) {
        physical.add(name);
      }
    }
    if (physical.isEmpty()) {
      add(
          Finding.warn(
              "net.link",
              "no physical NIC visible (virtual machine or container?)",
              "link speed unknown; it bounds how many runs a validator can disseminate",
              "run preflight on the bare-metal host"));
      return;
    }
    for (String nic : physical) {
      String operstate =
          probe.read("/sys/class/net/" + nic + "/operstate").map(String::strip).orElse("unknown");
      long speed;
      try {
        speed =
            Long.parseLong(
                probe.read("/sys/class/net/" + nic + "/speed").map(String::strip).orElse("-1"));
      } catch (NumberFormatException e) {
        speed = -1;
      }
      String check = "net.link." + nic;
      if (speed <= 0) {
        add(
            Finding.warn(
                check,
                nic + " " + operstate + ", speed unknown",
                "",
                operstate.equals("up") ? "" : "ignore if this NIC is unused"));
        continue;
      }
      long runsPerSecond = speed * 1_000_000L / 8 / AgentRunDescriptor.ENCODED_LENGTH;
      String impact =
          "carries at most ~"
              + String.format(Locale.ROOT, "%,d", runsPerSecond)
              + " runs/s of "
              + AgentRunDescriptor.ENCODED_LENGTH
              + " B each way (before sending each batch to every peer)";
      add(
          speed >= 10_000
              ? Finding.pass(check, nic + " " + operstate + " at " + speed + " Mb/s", impact)
              : Finding.warn(
                  check,
                  nic + " " + operstate + " at " + speed + " Mb/s",
                  impact,
                  "10 GbE or faster for validator traffic"));
    }
  }

  void ports() {
    for (HostPort address : options.listenAddresses()) {
      if (!probe.canBind(address)) {
        add(
            Finding.warn(
                "net.port." + address.port(),
                address + " cannot be bound now",
                "another process (a running node?) holds it or the address is not local",
                "stop the other process or change the port"));
      }
    }
    if (!options.listenAddresses().isEmpty()
        && findings.stream().noneMatch(f -> f.check().startsWith("net.port."))) {
      add(
          Finding.pass(
              "net.ports",
              "all listen addresses are free (" + options.listenAddresses().size() + ")",
              "the node can bind its peer, client, query and metrics sockets"));
    }
  }

  // ---- accelerators ------------------------------------------------------------------------

  void gpu() {
    boolean needed = options.backend() == SigBackend.CUDA;
    Optional<CommandOutput> smi =
        probe.command(
            "nvidia-smi",
            "--query-gpu=index,name,driver_version,compute_cap",
            "--format=csv,noheader");
    List<String[]> gpus = new ArrayList<>();
    if (smi.isPresent() && smi.get().exitStatus() == 0) {
      for (String line : smi.get().stdout().split("\n")) {
        String[] parts = line.split(",\\s*");
        if (parts.length >= 4) {
          gpus.add(
              new String[] {
                parts[0].strip(), parts[1].strip(), parts[2].strip(), parts[3].strip()
              });
        }
      }
    }
    if (gpus.isEmpty()) {
      Optional<String> version = probe.read("/proc/driver/nvidia/version");
      int procGpus = probe.list("/proc/driver/nvidia/gpus").size();
      if (version.isPresent() || procGpus > 0) {
        String driver = version.flatMap(Preflight::driverFromProc).orElse("unknown");
        add(
            new Finding(
                needed ? Level.WARN : Level.PASS,
                "gpu.nvidia",
                procGpus
                    + " NVIDIA GPU(s) under /proc/driver/nvidia, driver "
                    + driver
                    + "; nvidia-smi unavailable, compute capability unknown",
                "cannot tell whether the packaged kernels ("
                    + String.join(", ", options.packagedCudaArchs())
                    + ") suit the device",
                needed ? "install nvidia-smi (driver utilities)" : ""));
        return;
      }
      add(
          needed
              ? Finding.fail(
                  "gpu.nvidia",
                  "no NVIDIA GPU or driver found (nvidia-smi, /proc/driver/nvidia)",
                  "sig_backend cuda cannot run",
                  "install the GPU and driver, or choose sig_backend cpu/opencl")
              : Finding.pass(
                  "gpu.nvidia",
                  "no NVIDIA GPU",
                  "not needed by sig_backend "
                      + backendName()
                      + "; the CUDA backend stays unused"));
      return;
    }
    for (String[] gpu : gpus) {
      String check = "gpu.nvidia." + gpu[0];
      String driver = gpu[2];
      int driverMajor = leadingInt(driver);
      String arch = "sm_" + gpu[3].replace(".", "");
      Optional<String> cubin = matchingCubin(gpu[3], options.packagedCudaArchs());
      String detail =
          gpu[1] + ", driver " + driver + ", compute capability " + gpu[3] + " (" + arch + ")";
      if (driverMajor >= 0 && driverMajor < MIN_CUDA12_DRIVER_MAJOR) {
        add(
            new Finding(
                needed ? Level.FAIL : Level.WARN,
                check,
                detail,
                "driver older than "
                    + MIN_CUDA12_DRIVER_MAJOR
                    + " cannot run CUDA 12 code: the cuda backend is unavailable",
                "upgrade the NVIDIA driver to " + MIN_CUDA12_DRIVER_MAJOR + " or newer"));
      } else if (cubin.isPresent()) {
        add(
            Finding.pass(
                check,
                detail,
                "packaged "
                    + cubin.get()
                    + " kernels run natively on it (same major, device minor >= "
                    + cubin.get()
                    + ")"));
      } else {
        add(
            new Finding(
                Level.WARN,
                check,
                detail,
                "no packaged cubin ("
                    + String.join(", ", options.packagedCudaArchs())
                    + ") suits "
                    + arch
                    + ": kernels must be JIT-compiled from PTX/NVRTC at start (slower start; "
                    + (newerThanAll(gpu[3], options.packagedCudaArchs())
                        ? "works on newer GPUs"
                        : "older GPUs may be unsupported")
                    + ")",
                "build the kernels for " + arch + " (accel-kernels with nvcc)"));
      }
    }
  }

  static Optional<String> driverFromProc(String version) {
    Matcher m =
        Pattern.compile("Kernel Module\\s+(?:for \\S+\\s+)?(\\d+\\.\\d+(?:\\.\\d+)?)")
            .matcher(version);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** A cubin for sm_XY runs on devices of compute capability X.Z with Z >= Y (same major). */
  static Optional<String> matchingCubin(String computeCapability, List<String> archs) {
    int[] device = capability(computeCapability);
    if (device == null) {
      return Optional.empty();
    }
    String best = null;
    int bestMinor = -1;
    for (String arch : archs) {
      int[] packaged = capability(arch.replace("sm_", ""));
      if (packaged != null
          && packaged[0] == device[0]
          && packaged[1] <= device[1]
          && packaged[1] > bestMinor) {
        best = arch;
        bestMinor = packaged[1];
      }
    }
    return Optional.ofNullable(best);
  }

  private static boolean newerThanAll(String computeCapability, List<String> archs) {
    int[] device = capability(computeCapability);
    if (device == null) {
      return false;
    }
    for (String arch : archs) {
      int[] packaged = capability(arch.replace("sm_", ""));
      if (packaged != null && packaged[0] * 10 + packaged[1] >= device[0] * 10 + device[1]) {
        return false;
      }
    }
    return true;
  }

  /** "8.6" or "86" to {8, 6}; "100"/"10.0" to {10, 0}; null when unreadable. */
  static int[] capability(String text) {
    String t = text.strip();
    try {
      if (t.contains(".")) {
        String[] parts = t.split("\\.");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
      }
      int value = Integer.parseInt(t);
      return new int[] {value / 10, value % 10};
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      return null;
    }
  }

  void openCl() {
    boolean needed = options.backend() == SigBackend.OPENCL;
    Optional<CommandOutput> clinfo = probe.command("clinfo", "-l");
    if (clinfo.isEmpty()) {
      add(
          Finding.warn(
              "opencl.devices",
              "unknown: clinfo is not installed",
              needed
                  ? "sig_backend opencl may find no device"
                  : "cannot list OpenCL devices (not needed by sig_backend " + backendName() + ")",
              "apt-get install clinfo"));
      return;
    }
    List<String> devices = new ArrayList<>();
    String platform = "";
    for (String line : clinfo.get().stdout().split("\n")) {
      Matcher p = Pattern.compile("Platform #\\d+:\\s*(.*)").matcher(line);
      Matcher d = Pattern.compile("Device #\\d+:\\s*(.*)").matcher(line);
      if (p.find()) {
        platform = p.group(1).strip();
      } else if (d.find()) {
        devices.add(d.group(1).strip() + " [" + platform + "]");
      }
    }
    if (devices.isEmpty()) {
      add(
          needed
              ? Finding.fail(
                  "opencl.devices",
                  "no OpenCL device (clinfo -l)",
                  "sig_backend opencl cannot run",
                  "install an OpenCL ICD (vendor driver, or pocl-opencl-icd for CPUs)")
              : Finding.pass(
                  "opencl.devices",
                  "no OpenCL device",
                  "not needed by sig_backend " + backendName()));
      return;
    }
    add(
        Finding.pass(
            "opencl.devices",
            devices.size() + " device(s): " + String.join("; ", devices),
            "enables the OpenCL backend for batch signature verification and tree hashing"
                + (needed ? " (selected)" : "")));
  }

  // ---- helpers -----------------------------------------------------------------------------

  private String backendName() {
    return options.backend() == null ? "(none configured)" : options.backend().configName();
  }

  private OptionalLong meminfo(String key) {
    Optional<String> meminfo = probe.read("/proc/meminfo");
    if (meminfo.isEmpty()) {
      return OptionalLong.empty();
    }
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(key) + ":\\s+(\\d+)").matcher(meminfo.get());
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  private static Optional<String> field(String text, String key) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + ":\\s*(\\S+)").matcher(text);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static int leadingInt(String text) {
    Matcher m = Pattern.compile("^(\\d+)").matcher(text);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  static String human(long bytes) {
    if (bytes >= GIB) {
      return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) GIB);
    }
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
  }

  static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }
}
