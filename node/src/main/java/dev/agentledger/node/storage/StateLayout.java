package dev.agentledger.node.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The on-disk layout of the execution state (the sparse Merkle tree of hash-pipeline and the values
 * its leaves commit to), shared by every writer and reader of it:
 *
 * <ul>
 *   <li>{@code state_nodes}: node hash (32 B) to the node's 65-byte encoding (content-addressed,
 *       shared between versions, never rewritten);
 *   <li>{@code meta} {@code "smt/root/" || version (u64 big-endian)}: that version's root (32 B);
 *       {@code meta} {@code "smt/latest"}: the root key of the newest version;
 *   <li>{@code state_values} {@code state key (32 B) || ~version (u64 big-endian)}: what the key
 *       holds from that version on: {@code 0x01 || value}, or {@code 0x00} when it was removed.
 *       Inverting the version makes a key's newest entry sort first, so the value of key K at
 *       version V is the first entry at or after {@code K || ~V}, if that entry's first 32 bytes
 *       are K: one seek, whatever the history.
 * </ul>
 *
 * Everything a version adds (its nodes, its values, its root and the latest pointer) goes into one
 * atomic write batch, so a version is on disk entirely or not at all.
 */
public final class StateLayout {
  public static final Column<byte[], byte[]> NODES = Column.raw(ColumnFamily.STATE_NODES);
  public static final Column<byte[], byte[]> VALUES = Column.raw(ColumnFamily.STATE_VALUES);
  public static final Column<byte[], byte[]> META = Column.raw(ColumnFamily.META);

  public static final int KEY_BYTES = 32;
  private static final byte[] ROOT_PREFIX = "smt/root/".getBytes(StandardCharsets.US_ASCII);

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

  /** The {@code state_values} key of {@code stateKey}'s entry written by {@code version}. */
  public static byte[] valueKey(byte[] stateKey, long version) {
    if (stateKey.length != KEY_BYTES) {
      throw new IllegalArgumentException("state keys are 32 bytes");
    }
    byte[] key = Arrays.copyOf(stateKey, KEY_BYTES + 8);
    putLong(key, KEY_BYTES, ~version);
    return key;
  }

  /** Whether a {@code state_values} key belongs to {@code stateKey}. */
  public static boolean isValueKeyOf(byte[] valueKey, byte[] stateKey) {
    return valueKey.length == KEY_BYTES + 8
        && Arrays.equals(valueKey, 0, KEY_BYTES, stateKey, 0, KEY_BYTES);
  }

  /** The version that wrote a {@code state_values} entry. */
  public static long versionOfValueKey(byte[] valueKey) {
    return ~getLong(valueKey, KEY_BYTES);
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
