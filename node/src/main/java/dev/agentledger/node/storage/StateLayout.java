package dev.agentledger.node.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The on-disk layout of the execution state, format 5 (the newest values as of a checkpoint plus a
 * log record per version; the sparse Merkle tree lives in memory and is rebuilt on open), shared by
 * every writer and reader of it:
 *
 * <ul>
 *   <li>{@code state_values} {@code state key (32 B)}: what the key holds at the checkpoint version
 *       ({@link #CHECKPOINT_KEY}), {@code 0x01 || value}, or {@code 0x00} for a removed key that a
 *       packed record may still hold; a removed key that none holds has no entry. Written at
 *       checkpoints only: one put per key changed since the previous checkpoint, however many
 *       versions wrote it. Keys changed after the checkpoint hold older values here; their newest
 *       values are in the log records after it.
 *   <li>{@code meta} {@code "smt/once/" || checkpoint version (u64 big-endian) || part (u32
 *       big-endian)}: a packed record (see {@link #onceKey}) of keys that were written once as new
 *       keys (runs' entries) since the previous checkpoint: {@code key (32 B) || length (i16
 *       big-endian) || value}, repeated; at most {@link #ONCE_PER_RECORD} keys per record, so such
 *       keys cost a put per few thousand instead of one each. Kept for good. A key's entry in
 *       {@code state_values}, where it has one, is newer than its packed value.
 *   <li>{@code meta} {@code "smt/root/" || version (u64 big-endian)}: that version's root (32 B),
 *       for the retained versions only (older ones are deleted as the horizon moves); {@code meta}
 *       {@code "smt/latest"}: the root key of the newest version; {@code meta} {@code
 *       "smt/format"}: {@link #FORMAT}; {@code meta} {@code "smt/checkpoint"}: the version (u64
 *       big-endian) whose values {@code state_values} and the packed records hold; {@code meta}
 *       {@code "smt/delta/" || version}: the version's log record (see {@link #deltaKey}): for each
 *       key it wrote, the value before and, for versions after the checkpoint, the value after (as
 *       its changes to the value before where that is shorter: {@code skip || count || bytes} runs,
 *       flagged in the length field). One put per version, kept for the retained versions and every
 *       version after the checkpoint. A reopened node reads the packed records and then the
 *       checkpoint's values, redoes the log records after it (newest values), then undoes back to
 *       the oldest retained version, rebuilds its tree and redoes forward.
 * </ul>
 *
 * Format 1 kept every tree node ({@code state_nodes}) and every version of every value; format 2
 * wrote every changed value at every version and before-images only; format 3 wrote every key
 * changed since the previous checkpoint into {@code state_values}, without packed records; format 4
 * logged every after-value whole; a format-5 node refuses such a store rather than misread it.
 * Everything a version adds goes into one atomic write batch, so a version is on disk entirely or
 * not at all.
 */
public final class StateLayout {
  public static final Column<byte[], byte[]> NODES = Column.raw(ColumnFamily.STATE_NODES);
  public static final Column<byte[], byte[]> VALUES = Column.raw(ColumnFamily.STATE_VALUES);
  public static final Column<byte[], byte[]> META = Column.raw(ColumnFamily.META);

  public static final int KEY_BYTES = 32;
  private static final byte[] ROOT_PREFIX = "smt/root/".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] DELTA_PREFIX = "smt/delta/".getBytes(StandardCharsets.US_ASCII);

  /** Length of a {@link #deltaKey}. */
  public static final int DELTA_KEY_BYTES = DELTA_PREFIX.length + 8;

  /**
   * Writes into {@code out} from 0 the {@code meta} key of a version's log record: {@code
   * "smt/delta/" || version}, whose value is one flag byte ({@code 0}: before-images only, {@code
   * 1}: before- and after-images), then for each key the version wrote {@code key (32 B) || length
   * (i16 big-endian, -1: absent) || the value the key held before}, followed with flag 1 by {@code
   * length (i16) || the value the version left}.
   */
  public static void deltaKey(long version, byte[] out) {
    System.arraycopy(DELTA_PREFIX, 0, out, 0, DELTA_PREFIX.length);
    putLong(out, DELTA_PREFIX.length, version);
  }

  /** {@link #deltaKey(long, byte[])} as a new array. */
  public static byte[] deltaKey(long version) {
    byte[] key = new byte[DELTA_KEY_BYTES];
    deltaKey(version, key);
    return key;
  }

  private static final byte[] ONCE_PREFIX = "smt/once/".getBytes(StandardCharsets.US_ASCII);

  /** Length of an {@link #onceKey}. */
  public static final int ONCE_KEY_BYTES = ONCE_PREFIX.length + 8 + 4;

  /** Keys at most in one packed record. */
  public static final int ONCE_PER_RECORD = 4096;

  /**
   * Writes into {@code out} from 0 the {@code meta} key of part {@code part} of the packed record
   * of written-once keys of checkpoint {@code version}: {@code "smt/once/" || version || part}.
   */
  public static void onceKey(long version, int part, byte[] out) {
    System.arraycopy(ONCE_PREFIX, 0, out, 0, ONCE_PREFIX.length);
    putLong(out, ONCE_PREFIX.length, version);
    for (int i = 0; i < 4; i++) {
      out[ONCE_PREFIX.length + 8 + i] = (byte) (part >>> (24 - 8 * i));
    }
  }

  /** The first key of every packed record (they sort before any other key of the same prefix). */
  public static byte[] firstOnceKey() {
    return Arrays.copyOf(ONCE_PREFIX, ONCE_PREFIX.length);
  }

  /** Whether {@code key} is a packed record's key ({@link #onceKey}). */
  public static boolean isOnceKey(byte[] key) {
    return key.length == ONCE_KEY_BYTES
        && Arrays.equals(key, 0, ONCE_PREFIX.length, ONCE_PREFIX, 0, ONCE_PREFIX.length);
  }

  /** The {@code meta} key holding the state format. */
  public static final byte[] FORMAT_KEY = "smt/format".getBytes(StandardCharsets.US_ASCII);

  /** The state format this code writes and reads: 5. */
  public static final byte[] FORMAT = {5};

  /**
   * The {@code meta} key naming the checkpoint version (u64 big-endian) of {@code state_values}.
   */
  public static final byte[] CHECKPOINT_KEY = "smt/checkpoint".getBytes(StandardCharsets.US_ASCII);

  /** The {@code meta} key naming the newest version (its value is that version's root key). */
  public static final byte[] LATEST_KEY = "smt/latest".getBytes(StandardCharsets.US_ASCII);

  private static final byte ABSENT = 0;
  private static final byte PRESENT = 1;

  private StateLayout() {}

  /** The {@code meta} key of a version's root. */
  public static byte[] rootKey(long version) {
    byte[] key = Arrays.copyOf(ROOT_PREFIX, ROOT_PREFIX.length + 8);
    putLong(key, ROOT_PREFIX.length, version);
    return key;
  }

  /** The version a root key names (the value stored under {@link #LATEST_KEY}). */
  public static long versionOfRootKey(byte[] rootKey) {
    if (rootKey.length != ROOT_PREFIX.length + 8) {
      throw new IllegalArgumentException("not a state root key");
    }
    return getLong(rootKey, ROOT_PREFIX.length);
  }

  /** A {@code state_values} entry: the value, or null for a removal. */
  public static byte[] encodeValue(byte[] value) {
    if (value == null) {
      return new byte[] {ABSENT};
    }
    byte[] out = new byte[value.length + 1];
    out[0] = PRESENT;
    System.arraycopy(value, 0, out, 1, value.length);
    return out;
  }

  /** The value of a {@code state_values} entry, or null when the entry records a removal. */
  public static byte[] decodeValue(byte[] stored) {
    if (stored.length == 0 || (stored[0] != ABSENT && stored[0] != PRESENT)) {
      throw new IllegalArgumentException("not a state value entry");
    }
    return stored[0] == ABSENT ? null : Arrays.copyOfRange(stored, 1, stored.length);
  }

  private static void putLong(byte[] out, int offset, long v) {
    for (int i = 0; i < 8; i++) {
      out[offset + i] = (byte) (v >>> (56 - 8 * i));
    }
  }

  private static long getLong(byte[] in, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (in[offset + i] & 0xFF);
    }
    return v;
  }
}
