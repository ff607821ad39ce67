package dev.agentledger.deploy.preflight;

import dev.agentledger.node.config.HostPort;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything preflight learns about the host goes through here, so the checks in {@link Preflight}
 * are pure and tests can feed them any host ({@code FakeHostProbe}). Paths are absolute Linux paths
 * such as {@code /proc/cpuinfo}.
 */
public interface HostProbe {
  /** A file's text, or empty when it does not exist or cannot be read. */
  Optional<String> read(String path);

  /** Names in a directory, sorted; empty when it does not exist. */
  List<String> list(String directory);

  boolean exists(String path);

  /**
   * Runs a program (argv[0] looked up on PATH) briefly; empty when it is not installed or hangs.
   */
  Optional<CommandOutput> command(String... argv);

  /** Usable bytes on the file system holding {@code directory} (or its nearest existing parent). */
  OptionalLong usableBytes(Path directory);

  /** Writes and fsyncs small blocks in {@code directory}; empty when it cannot. */
  Optional<FsyncLatency> fsyncLatency(Path directory, int samples);

  /** The kernel's clock discipline state (adjtimex(2) read-only); empty when unavailable. */
  Optional<ClockStatus> clock();

  /** Whether a TCP listener could bind {@code address} now. */
  boolean canBind(HostPort address);

  /** Exit status and standard output of a command. */
  record CommandOutput(int exitStatus, String stdout) {}

  /** Latencies of write+fsync of 4 KiB, in nanoseconds, measured in {@code directory}. */
  record FsyncLatency(Path directory, int samples, long medianNs, long maxNs) {}

  /**
   * The result of adjtimex(2) with no modes set.
   *
   * @param state return value: 0 TIME_OK ... 5 TIME_ERROR (clock not synchronised)
   * @param status the status bits (STA_UNSYNC = 0x40)
   * @param maxErrorUs the kernel's maximum error estimate, microseconds
   */
  record ClockStatus(int state, int status, long maxErrorUs) {
    public static final int TIME_ERROR = 5;
    public static final int STA_UNSYNC = 0x40;

    public boolean synchronised() {
      return state != TIME_ERROR && (status & STA_UNSYNC) == 0;
    }
  }
}
