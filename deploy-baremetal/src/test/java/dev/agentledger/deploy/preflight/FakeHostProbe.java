package dev.agentledger.deploy.preflight;

import dev.agentledger.node.config.HostPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** A host described by maps: files, directories, command outputs, disk and clock answers. */
final class FakeHostProbe implements HostProbe {
  final Map<String, String> files = new HashMap<>();
  final Set<String> paths = new HashSet<>();
  final Map<String, CommandOutput> commands = new HashMap<>();
  final Set<Integer> busyPorts = new HashSet<>();
  OptionalLong usable = OptionalLong.of(500L << 30);
  Optional<FsyncLatency> fsync =
      Optional.of(new FsyncLatency(Path.of("/data"), 16, 80_000, 200_000));
  Optional<ClockStatus> clock = Optional.of(new ClockStatus(0, 0x2001, 12_000));

  /** A well-tuned modern x86 host with no accelerators and no clinfo. */
  static FakeHostProbe goodHost() {
    FakeHostProbe host = new FakeHostProbe();
    host.file(
        "/proc/cpuinfo",
        "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 avx512f avx512vl sha_ni\n\nprocessor\t: 1\nflags\t\t: fpu\n");
    host.file("/sys/devices/system/cpu/online", "0-15\n");
    host.file(
        "/proc/meminfo",
        "MemTotal:       65536000 kB\nHugePages_Total:    1024\nHugePages_Free:     1000\nHugepagesize:       2048 kB\n");
    host.file("/proc/sys/kernel/osrelease", "6.8.0-45-generic\n");
    host.file("/proc/sys/kernel/io_uring_disabled", "0\n");
    host.file("/proc/self/status", "Name:\tjava\nSeccomp:\t0\n");
    host.file(
        "/proc/self/limits",
        """
        Limit                     Soft Limit           Hard Limit           Units
        Max open files            1048576              1048576              files
        Max locked memory         unlimited            unlimited            bytes
        """);
    host.file("/sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never\n");
    host.dir("/sys/class/net", "lo", "enp1s0");
    host.paths.add("/sys/class/net/enp1s0/device");
    host.file("/sys/class/net/enp1s0/speed", "25000\n");
    host.file("/sys/class/net/enp1s0/operstate", "up\n");
    return host;
  }

  FakeHostProbe file(String path, String text) {
    files.put(path, text);
    paths.add(path);
    return this;
  }

  FakeHostProbe dir(String path, String... names) {
    paths.add(path);
    for (String name : names) {
      paths.add(path + "/" + name);
    }
    return this;
  }

  FakeHostProbe command(String program, int status, String stdout) {
    commands.put(program, new CommandOutput(status, stdout));
    return this;
  }

  @Override
  public Optional<String> read(String path) {
    return Optional.ofNullable(files.get(path));
  }

  @Override
  public List<String> list(String directory) {
    List<String> names = new ArrayList<>();
    for (String path : paths) {
      if (path.startsWith(directory + "/") && path.indexOf('/', directory.length() + 1) < 0) {
        names.add(path.substring(directory.length() + 1));
      }
    }
    names.sort(null);
    return names;
  }

  @Override
  public boolean exists(String path) {
    return paths.contains(path);
  }

  @Override
  public Optional<CommandOutput> command(String... argv) {
    return Optional.ofNullable(commands.get(argv[0]));
  }

  @Override
  public OptionalLong usableBytes(Path directory) {
    return usable;
  }

  @Override
  public Optional<FsyncLatency> fsyncLatency(Path directory, int samples) {
    return fsync;
  }

  @Override
  public Optional<ClockStatus> clock() {
    return clock;
  }

  @Override
  public boolean canBind(HostPort address) {
    return !busyPorts.contains(address.port());
  }
}
