package dev.agentledger.node.commitlog;

import dev.agentledger.node.storage.Column;
import dev.agentledger.node.storage.ColumnFamily;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Serializer;
import dev.agentledger.node.storage.Store;

/**
 * The commit log in a node's {@link Store}: the {@code commits} column, consensus commit index to
 * entry ({@link CommitLogDescriptor}), written by the consensus committer and read by execution and
 * by any replay, always through a {@link CommitLogFlyweight}. The {@code meta} key {@link
 * #FORMAT_KEY} says which entry version the column holds.
 */
public final class CommitLog {
  private CommitLog() {}

  /** Consensus commit index to entry. */
  public static final Column<Long, byte[]> COLUMN =
      Column.of(ColumnFamily.COMMITS, Serializer.LONG, Serializer.BYTES);

  private static final Column<String, Long> META =
      Column.of(ColumnFamily.META, Serializer.STRING, Serializer.LONG);

  /** The {@code meta} key holding the entry version of the {@code commits} column. */
  public static final String FORMAT_KEY = "commit.log_format";

  /**
   * Checks that {@code store}'s commit log is of version {@link CommitLogDescriptor#VERSION}, and
   * marks an empty one so (a synced write). A log with entries and no mark was written by a node of
   * version 1.
   *
   * @throws IllegalStateException one line naming both versions
   */
  public static void open(Store store) {
    Long format = store.get(META, FORMAT_KEY);
    if (format == null) {
      boolean[] holds = {false};
      store.scan(COLUMN, null, (k, v) -> !(holds[0] = true));
      if (!holds[0]) {
        store.put(META, FORMAT_KEY, (long) CommitLogDescriptor.VERSION, Durability.SYNCED);
        return;
      }
      format = 1L;
    }
    if (format != CommitLogDescriptor.VERSION) {
      throw new IllegalStateException(
          "the store holds a commit log of version "
              + format
              + "; this node reads version "
              + CommitLogDescriptor.VERSION
              + " (start from an empty data directory)");
    }
  }

  /**
   * Views entry {@code index} of {@code store}'s log in {@code into}.
   *
   * @throws IllegalStateException if the log has no such entry or it is malformed
   */
  public static CommitLogFlyweight read(Store store, long index, CommitLogFlyweight into) {
    byte[] entry = store.get(COLUMN, index);
    if (entry == null) {
      throw new IllegalStateException("commit log has no commit " + index);
    }
    try {
      return into.wrap(entry);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("commit log entry " + index + ": " + e.getMessage(), e);
    }
  }
}
