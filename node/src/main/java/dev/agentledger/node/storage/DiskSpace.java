package dev.agentledger.node.storage;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.ToLongFunction;

/**
 * Free space of the data directory's file system, for the status answer: {@code storage} in {@code
 * node status} and {@code GET /status} carries {@code data_dir_free_bytes}, {@code low_disk_space}
 * (free space under {@link #LOW_DISK_BYTES}: the warning ahead of a full disk) and {@code
 * write_failed} (the store failed a write and the node is stopping, see {@link
 * Store#writeFailure}).
 *
 * <p>Under a lower floor ({@link #defaultStopFloorBytes}, {@code node run --min-free-disk-mib})
 * {@code node run} stops cleanly with exit code 74 before a write can fail: RocksDB's write-ahead
 * log and memtables absorb writes for a long time on a full disk, and a node that keeps accepting
 * transactions it may not be able to persist is worse than one that stops.
 */
public final class DiskSpace {
  private DiskSpace() {}

  /** Below this much free space the status warns: 1 GiB. */
  public static final long LOW_DISK_BYTES = 1L << 30;

  /** The stop floor's least value: 64 MiB. */
  public static final long STOP_FLOOR_MIN_BYTES = 64L << 20;

  /** The stop floor's largest default value: 512 MiB, half of {@link #LOW_DISK_BYTES}. */
  public static final long STOP_FLOOR_MAX_BYTES = 512L << 20;

  /**
   * The default stop floor: 1% of the file system ({@code totalBytes}, -1 when unknown), at least
   * {@link #STOP_FLOOR_MIN_BYTES} and at most {@link #STOP_FLOOR_MAX_BYTES}. 64 MiB holds two of
   * the store's 32 MiB write buffers: the memtables RocksDB flushes when the store is opened again
   * after the stop, so a restart on the same disk can replay its write-ahead log. 1% keeps more
   * room for compactions on larger disks; the cap keeps the floor under the 1 GiB warning, so the
   * warning always comes first.
   */
  public static long defaultStopFloorBytes(long totalBytes) {
    return Math.clamp(Math.max(0, totalBytes) / 100, STOP_FLOOR_MIN_BYTES, STOP_FLOOR_MAX_BYTES);
  }

  /** Total bytes of {@code dir}'s file system, or -1 when it cannot be read. */
  public static long totalBytes(Path dir) {
    try {
      return Files.getFileStore(dir).getTotalSpace();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Usable bytes on {@code dir}'s file system, or -1 when it cannot be read. */
  public static long usableBytes(Path dir) {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * {@link #usableBytes} for callers that ask often (the node's free-space floor check, ten times a
   * second, and its status, once a second): the file store of the last directory is kept, so each
   * answer is one statvfs(2), where {@link Files#getFileStore} reads and parses the whole mount
   * table first (about 80 µs of CPU against 2 µs). The store is looked up again for another
   * directory and after a failed read. One per calling thread: not thread-safe.
   */
  public static final class Probe implements ToLongFunction<Path> {
    private Path dir;
    private FileStore store;

    /** Usable bytes on {@code dir}'s file system, or -1 when it cannot be read. */
    @Override
    public long applyAsLong(Path dir) {
      try {
        if (store == null || !dir.equals(this.dir)) {
          store = null;
          this.dir = dir;
          store = Files.getFileStore(dir);
        }
        return store.getUsableSpace();
      } catch (IOException | RuntimeException e) {
        store = null;
        return -1;
      }
    }
  }

  /** True when {@code usableBytes} is known and under {@code thresholdBytes}. */
  public static boolean low(long usableBytes, long thresholdBytes) {
    return usableBytes >= 0 && usableBytes < thresholdBytes;
  }

  /** The {@code storage} status member. */
  public static ObjectNode status(long usableBytes, long thresholdBytes, boolean writeFailed) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("dataDirFreeBytes", usableBytes)
        .put("lowDiskSpace", low(usableBytes, thresholdBytes))
        .put("writeFailed", writeFailed);
  }
}
