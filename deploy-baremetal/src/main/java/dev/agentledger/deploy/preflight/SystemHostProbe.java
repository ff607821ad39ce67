package dev.agentledger.deploy.preflight;

import dev.agentledger.node.config.HostPort;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The real host: files under / , programs on PATH, the data directory's disk, adjtimex(2). */
public final class SystemHostProbe implements HostProbe {
  private static final long COMMAND_TIMEOUT_MS = 5_000;

  @Override
  public Optional<String> read(String path) {
    // Not Files.readString: it sizes its first read by the file size, which is 0 for /proc files,
    // and numeric sysctl handlers answer a 1-byte read with only the first digit.
    try (java.io.InputStream in = Files.newInputStream(Path.of(path))) {
      return Optional.of(new String(in.readNBytes(1 << 22), StandardCharsets.ISO_8859_1));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<String> list(String directory) {
    try (Stream<Path> entries = Files.list(Path.of(directory))) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException | SecurityException e) {
      return List.of();
    }
  }

  @Override
  public boolean exists(String path) {
    return Files.exists(Path.of(path));
  }

  @Override
  public Optional<CommandOutput> command(String... argv) {
    if (!onPath(argv[0])) {
      return Optional.empty();
    }
    try {
      Process process =
          new ProcessBuilder(argv)
              .redirectErrorStream(false)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readNBytes(1 << 20);
      if (!process.waitFor(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      return Optional.of(
          new CommandOutput(process.exitValue(), new String(out, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static boolean onPath(String program) {
    if (program.contains("/")) {
      return Files.isExecutable(Path.of(program));
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    List<String> dirs = new ArrayList<>(Arrays.asList(path.split(":")));
    dirs.addAll(List.of("/usr/sbin", "/sbin"));
    return dirs.stream().anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, program)));
  }

  @Override
  public OptionalLong usableBytes(Path directory) {
    Path existing = nearestExisting(directory);
    if (existing == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Files.getFileStore(existing).getUsableSpace());
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  static Path nearestExisting(Path directory) {
    Path path = directory.toAbsolutePath();
    while (path != null && !Files.exists(path)) {
      path = path.getParent();
    }
    return path;
  }

  @Override
  public Optional<FsyncLatency> fsyncLatency(Path directory, int samples) {
    Path existing = nearestExisting(directory);
    if (existing == null || !Files.isDirectory(existing)) {
      return Optional.empty();
    }
    Path file = null;
    try {
      file = Files.createTempFile(existing, ".agentledger-preflight-", ".tmp");
      long[] latencies = new long[samples];
      ByteBuffer block = ByteBuffer.allocateDirect(4096);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        for (int i = 0; i < samples; i++) {
          block.clear();
          block.put(0, (byte) i);
          long start = System.nanoTime();
          channel.write(block, (long) i * 4096);
          channel.force(false);
          latencies[i] = System.nanoTime() - start;
        }
      }
      Arrays.sort(latencies);
      return Optional.of(
          new FsyncLatency(existing, samples, latencies[samples / 2], latencies[samples - 1]));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a leftover temp file is harmless and named for what it is
        }
      }
    }
  }

  /**
   * adjtimex(2) through the FFM API with {@code modes = 0} (read only, no privilege needed). struct
   * timex on LP64 Linux: modes at 0 (u32), maxerror at 24 (long), status at 40 (int); the whole
   * struct is 208 bytes (reserved space included).
   */
  @Override
  public Optional<ClockStatus> clock() {
    try {
      Linker linker = Linker.nativeLinker();
      Optional<MemorySegment> symbol = linker.defaultLookup().find("adjtimex");
      if (symbol.isEmpty()
          || !"amd64".equals(System.getProperty("os.arch"))
              && !"aarch64".equals(System.getProperty("os.arch"))) {
        return Optional.empty();
      }
      MethodHandle adjtimex =
          linker.downcallHandle(
              symbol.get(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment timex = arena.allocate(208, 8);
        int state = (int) adjtimex.invokeExact(timex);
        if (state < 0) {
          return Optional.empty();
        }
        return Optional.of(
            new ClockStatus(
                state, timex.get(ValueLayout.JAVA_INT, 40), timex.get(ValueLayout.JAVA_LONG, 24)));
      }
    } catch (Throwable e) {
      // no native access allowed, unknown platform: report unknown rather than guess
      return Optional.empty();
    }
  }

  @Override
  public boolean canBind(HostPort address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(address.host(), address.port()));
      return true;
    } catch (IOException | IllegalArgumentException | SecurityException e) {
      return false;
    }
  }
}
