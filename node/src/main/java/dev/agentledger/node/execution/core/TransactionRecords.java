package dev.agentledger.node.execution.core;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A commit's transaction records in one array, back to back in commit order, with their offsets:
 * two arrays per commit whatever its size, where a list of records holds one array per record. Read
 * a record in place with {@link #bytes}, {@link #offset} and {@link #length}; {@link #copy} and
 * {@link #asList} give arrays for callers that want them. Immutable: {@link #bytes} is shared with
 * every reader (execution, the commit feed on its own thread) and nobody writes it.
 *
 * <p>{@link Builder} assembles one from records read in place (the node reads a commit's batches
 * into a reused buffer and appends their records), so the records are copied once, into the
 * commit's own array.
 */
public final class TransactionRecords {
  private static final TransactionRecords EMPTY = new TransactionRecords(new byte[0], new int[1]);

  private final byte[] bytes;

  /** {@code size() + 1} entries: record {@code i} is {@code [ends[i], ends[i + 1])}. */
  private final int[] ends;

  private TransactionRecords(byte[] bytes, int[] ends) {
    this.bytes = bytes;
    this.ends = ends;
  }

  /** No records. */
  public static TransactionRecords empty() {
    return EMPTY;
  }

  /** {@code records} in one array (a copy: later changes to them do not show). */
  public static TransactionRecords copyOf(List<byte[]> records) {
    if (records.isEmpty()) {
      return EMPTY;
    }
    int total = 0;
    for (byte[] r : records) {
      total += r.length;
    }
    byte[] bytes = new byte[total];
    int[] ends = new int[records.size() + 1];
    int at = 0;
    for (int i = 0; i < records.size(); i++) {
      byte[] r = records.get(i);
      System.arraycopy(r, 0, bytes, at, r.length);
      at += r.length;
      ends[i + 1] = at;
    }
    return new TransactionRecords(bytes, ends);
  }

  /** Number of records. */
  public int size() {
    return ends.length - 1;
  }

  /** The array every record lies in; read it, never write it. */
  public byte[] bytes() {
    return bytes;
  }

  /** Where record {@code index} starts in {@link #bytes}. */
  public int offset(int index) {
    check(index);
    return ends[index];
  }

  /** The length of record {@code index}. */
  public int length(int index) {
    check(index);
    return ends[index + 1] - ends[index];
  }

  /** Record {@code index} as its own array (a copy). */
  public byte[] copy(int index) {
    check(index);
    return Arrays.copyOfRange(bytes, ends[index], ends[index + 1]);
  }

  /** The records as a list; each {@code get} returns a copy of the record. */
  public List<byte[]> asList() {
    return new Copies(this);
  }

  private void check(int index) {
    if (index < 0 || index >= ends.length - 1) {
      throw new IndexOutOfBoundsException(index);
    }
  }

  /** Equal when the records are equal, one by one. */
  @Override
  public boolean equals(Object o) {
    return o instanceof TransactionRecords other
        && Arrays.equals(ends, other.ends)
        && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(ends) + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return size() + " records, " + bytes.length + " bytes";
  }

  private static final class Copies extends AbstractList<byte[]> implements RandomAccess {
    private final TransactionRecords records;

    Copies(TransactionRecords records) {
      this.records = records;
    }

    @Override
    public byte[] get(int index) {
      return records.copy(index);
    }

    @Override
    public int size() {
      return records.size();
    }
  }

  /**
   * Assembles {@link TransactionRecords} from records appended in place; reused from commit to
   * commit (its buffers grow to the largest commit and stay). Single-threaded.
   */
  public static final class Builder {
    private byte[] bytes = new byte[1 << 16];
    private int[] ends = new int[1 << 9];
    private int count;

    /** Starts a new set of records (drops what was appended). */
    public Builder clear() {
      count = 0;
      return this;
    }

    /** Appends the record {@code source[offset, offset + length)}. */
    public Builder add(byte[] source, int offset, int length) {
      int at = ends[count];
      if (at + length > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(at + length, 2 * bytes.length));
      }
      if (count + 2 > ends.length) {
        ends = Arrays.copyOf(ends, 2 * ends.length);
      }
      System.arraycopy(source, offset, bytes, at, length);
      ends[++count] = at + length;
      return this;
    }

    /** Records appended since {@link #clear}. */
    public int size() {
      return count;
    }

    /** The records appended since {@link #clear}, in their own arrays (exactly their size). */
    public TransactionRecords build() {
      if (count == 0) {
        return EMPTY;
      }
      return new TransactionRecords(
          Arrays.copyOf(bytes, ends[count]), Arrays.copyOf(ends, count + 1));
    }
  }
}
