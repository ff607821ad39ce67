package dev.agentledger.node.storage;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space of the data directory's file system, for the status answer: {@code storage} in {@code
 * node status} and {@code GET /status} carries {@code data_dir_free_bytes}, {@code low_disk_space}
 * (free space under {@link #LOW_DISK_BYTES}: the warning ahead of a full disk) and {@code
 * write_failed} (the store failed a write and the node is stopping, see {@link
 * Store#writeFailure}).
 */
public final class DiskSpace {
  private DiskSpace() {}

  /** Below this much free space the status warns: 1 GiB. */
  public static final long LOW_DISK_BYTES = 1L << 30;

  /** Usable bytes on {@code dir}'s file system, or -1 when it cannot be read. */
  public static long usableBytes(Path dir) {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return -1;
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
