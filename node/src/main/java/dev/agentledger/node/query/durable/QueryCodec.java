package dev.agentledger.node.query.durable;

import dev.agentledger.node.commit.CommitCertificate;
import dev.agentledger.node.commit.CommitRecord;
import dev.agentledger.node.commit.CommitSignature;
import dev.agentledger.node.execution.core.CommitOutput;
import dev.agentledger.node.execution.core.Receipt;
import dev.agentledger.node.execution.core.TransactionRecords;
import dev.agentledger.node.query.QueryStore.TxLocation;
import dev.agentledger.node.query.StoredCommit;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary encodings of {@link DurableQueryStore} (little-endian, no padding; see the package
 * documentation for the layouts). Decoders refuse anything but an exact encoding.
 */
final class QueryCodec {
  static final byte COMMIT_FORMAT = 1;
  static final byte CERTIFICATE_FORMAT = 1;
  static final int LOCATION_BYTES = 12;
  static final int LOCATION_KEY_BYTES = 32 + 8 + 4;
  private static final byte RECEIPTS_SHARE_IDS = 1;
  private static final byte RECEIPTS_FULL = 0;

  /** kind u8 | code u16 | fee u64: a receipt without its transaction id. */
  private static final int RECEIPT_TAIL_BYTES = Receipt.ENCODED_LENGTH - 32;

  private QueryCodec() {}

  /**
   * What {@link #decodeCommit} gives back: the stored commit's parts, its state version by number.
   */
  record DecodedCommit(
      long stateVersion,
      CommitRecord record,
      byte[] hash,
      List<byte[]> transactions,
      List<byte[]> txIds,
      List<Receipt> receipts) {}

  static byte[] encodeCommit(StoredCommit commit, long stateVersion) {
    byte[] record = commit.record().encode();
    int n = commit.txIds().size();
    if (commit.receipts().size() != n || commit.transactions().size() != n) {
      throw new IllegalArgumentException(
          "a commit needs one transaction, id and receipt per entry");
    }
    boolean share = true;
    for (int i = 0; i < n && share; i++) {
      share = Arrays.equals(commit.receipts().get(i).txId(), commit.txIds().get(i));
    }
    long size =
        1
            + 8
            + 4
            + record.length
            + 32
            + 4
            + 1
            + 32L * n
            + (long) (share ? RECEIPT_TAIL_BYTES : Receipt.ENCODED_LENGTH) * n;
    for (byte[] tx : commit.transactions()) {
      size += 4 + tx.length;
    }
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("commit too large to store: " + size + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
    b.put(COMMIT_FORMAT)
        .putLong(stateVersion)
        .putInt(record.length)
        .put(record)
        .put(check32(commit.hash()));
    b.putInt(n).put(share ? RECEIPTS_SHARE_IDS : RECEIPTS_FULL);
    for (byte[] id : commit.txIds()) {
      b.put(check32(id));
    }
    for (Receipt r : commit.receipts()) {
      byte[] encoded = r.encode();
      if (share) {
        b.put(encoded, 32, RECEIPT_TAIL_BYTES);
      } else {
        b.put(encoded);
      }
    }
    for (byte[] tx : commit.transactions()) {
      b.putInt(tx.length).put(tx);
    }
    return b.array();
  }

  /**
   * The length of {@link #encodeCommit(CommitRecord, byte[], TransactionRecords, CommitOutput,
   * long, byte[])}'s encoding.
   */
  static int commitLength(
      CommitRecord record, TransactionRecords transactions, CommitOutput output) {
    int n = output.count();
    if (transactions.size() != n) {
      throw new IllegalArgumentException("a commit needs one transaction per receipt");
    }
    long size =
        1
            + 8
            + 4
            + CommitRecord.encodedLength(record)
            + 32
            + 4
            + 1
            + (32L + RECEIPT_TAIL_BYTES) * n;
    size += 4L * n + transactions.bytes().length;
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("commit too large to store: " + size + " bytes");
    }
    return (int) size;
  }

  /**
   * The same encoding as {@link #encodeCommit(StoredCommit, long)}, read from the executor's flat
   * output into {@code dst} (at least {@link #commitLength} bytes): each receipt shares its id (the
   * output's receipts are those of its ids).
   */
  static void encodeCommit(
      CommitRecord record,
      byte[] hash,
      TransactionRecords transactions,
      CommitOutput output,
      long stateVersion,
      byte[] dst) {
    byte[] recordBytes = record.encode();
    int n = output.count();
    ByteBuffer b = ByteBuffer.wrap(dst).order(ByteOrder.LITTLE_ENDIAN);
    b.put(COMMIT_FORMAT)
        .putLong(stateVersion)
        .putInt(recordBytes.length)
        .put(recordBytes)
        .put(check32(hash));
    b.putInt(n).put(RECEIPTS_SHARE_IDS);
    int at = b.position();
    for (int i = 0; i < n; i++) {
      output.copyTxId(i, dst, at);
      at += 32;
    }
    for (int i = 0; i < n; i++) {
      output.copyReceiptTail(i, dst, at);
      at += RECEIPT_TAIL_BYTES;
    }
    byte[] bytes = transactions.bytes();
    for (int i = 0; i < n; i++) {
      int length = transactions.length(i);
      for (int k = 0; k < 4; k++) {
        dst[at + k] = (byte) (length >>> (8 * k));
      }
      System.arraycopy(bytes, transactions.offset(i), dst, at + 4, length);
      at += 4 + length;
    }
  }

  static DecodedCommit decodeCommit(byte[] encoded) {
    try {
      ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
      if (b.get() != COMMIT_FORMAT) {
        throw new IllegalArgumentException("unknown stored commit format");
      }
      long stateVersion = b.getLong();
      byte[] recordBytes = take(b, b.getInt());
      CommitRecord record = CommitRecord.decode(recordBytes);
      byte[] hash = take(b, 32);
      int n = b.getInt();
      byte flag = b.get();
      if (n < 0
          || n > b.remaining() / 32
          || (flag != RECEIPTS_SHARE_IDS && flag != RECEIPTS_FULL)) {
        throw new IllegalArgumentException("bad transaction count or receipt form");
      }
      List<byte[]> ids = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ids.add(take(b, 32));
      }
      List<Receipt> receipts = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        byte[] full = new byte[Receipt.ENCODED_LENGTH];
        if (flag == RECEIPTS_SHARE_IDS) {
          System.arraycopy(ids.get(i), 0, full, 0, 32);
          b.get(full, 32, RECEIPT_TAIL_BYTES);
        } else {
          b.get(full);
        }
        receipts.add(Receipt.decode(full));
      }
      List<byte[]> txs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        txs.add(take(b, b.getInt()));
      }
      if (b.hasRemaining()) {
        throw new IllegalArgumentException("trailing bytes after a stored commit");
      }
      return new DecodedCommit(stateVersion, record, hash, txs, ids, receipts);
    } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("stored commit is truncated", e);
    }
  }

  /** The commit hash of a stored commit, without decoding its transactions. */
  static byte[] commitHash(byte[] encoded) {
    ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
    if (encoded.length < 13 || b.get() != COMMIT_FORMAT) {
      throw new IllegalArgumentException("unknown stored commit format");
    }
    b.getLong();
    int recordLength = b.getInt();
    if (recordLength < 0 || recordLength > b.remaining() - 32) {
      throw new IllegalArgumentException("stored commit is truncated");
    }
    b.position(b.position() + recordLength);
    return take(b, 32);
  }

  static byte[] encodeCertificate(CommitCertificate certificate) {
    List<CommitSignature> signatures = certificate.signatures();
    if (signatures.size() > 0xFFFF) {
      throw new IllegalArgumentException("too many signatures");
    }
    ByteBuffer b =
        ByteBuffer.allocate(1 + 32 + 2 + 96 * signatures.size()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(CERTIFICATE_FORMAT).put(certificate.commitHash()).putShort((short) signatures.size());
    for (CommitSignature s : signatures) {
      b.put(s.validator()).put(s.signature());
    }
    return b.array();
  }

  static CommitCertificate decodeCertificate(byte[] encoded) {
    ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
    if (encoded.length < 35 || b.get() != CERTIFICATE_FORMAT) {
      throw new IllegalArgumentException("unknown stored certificate format");
    }
    byte[] hash = take(b, 32);
    int n = Short.toUnsignedInt(b.getShort());
    if (encoded.length != 35 + 96 * n) {
      throw new IllegalArgumentException(
          "stored certificate length does not match its signature count");
    }
    List<CommitSignature> signatures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      signatures.add(new CommitSignature(take(b, 32), take(b, 64)));
    }
    return new CommitCertificate(hash, signatures);
  }

  static TxLocation decodeLocation(byte[] encoded) {
    if (encoded.length != LOCATION_BYTES) {
      throw new IllegalArgumentException("a transaction location is " + LOCATION_BYTES + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
    return new TxLocation(b.getLong(), b.getInt());
  }

  /**
   * Writes a transaction-index key into {@code key} after the id in its first 32 bytes: {@code
   * tx_id 32 B || sequence u64 big-endian || index u32 big-endian} ({@value #LOCATION_KEY_BYTES}
   * bytes), so an id's locations sort in execution order and the first is found by one seek.
   */
  static void locationKey(byte[] key, long sequence, int index) {
    for (int i = 0; i < 8; i++) {
      key[32 + i] = (byte) (sequence >>> (56 - 8 * i));
    }
    for (int i = 0; i < 4; i++) {
      key[40 + i] = (byte) (index >>> (24 - 8 * i));
    }
  }

  /** The location a {@link #locationKey} names. */
  static TxLocation decodeLocationKey(byte[] key) {
    if (key.length != LOCATION_KEY_BYTES) {
      throw new IllegalArgumentException(
          "a transaction-index key is " + LOCATION_KEY_BYTES + " bytes");
    }
    long sequence = 0;
    for (int i = 0; i < 8; i++) {
      sequence = (sequence << 8) | (key[32 + i] & 0xff);
    }
    int index = 0;
    for (int i = 0; i < 4; i++) {
      index = (index << 8) | (key[40 + i] & 0xff);
    }
    return new TxLocation(sequence, index);
  }

  /** {@code agent || run number (u64 big-endian)}: an agent's runs sort in history order. */
  static byte[] runKey(byte[] agent, long number) {
    byte[] key = Arrays.copyOf(check32(agent), 40);
    runNumber(key, number);
    return key;
  }

  /** Writes the run number into a run key whose first 32 bytes hold the agent. */
  static void runNumber(byte[] key, long number) {
    for (int i = 0; i < 8; i++) {
      key[32 + i] = (byte) (number >>> (56 - 8 * i));
    }
  }

  static byte[] encodeCount(long count) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(count).array();
  }

  /** Writes {@code count} as a count (u64 little-endian) into {@code dst[0..8)}. */
  static void encodeCount(long count, byte[] dst) {
    for (int i = 0; i < 8; i++) {
      dst[i] = (byte) (count >>> (8 * i));
    }
  }

  /** The count (u64 little-endian) in {@code src[offset, offset + 8)}. */
  static long decodeCount(byte[] src, int offset) {
    long count = 0;
    for (int i = 7; i >= 0; i--) {
      count = (count << 8) | (src[offset + i] & 0xFF);
    }
    return count;
  }

  static long decodeCount(byte[] encoded) {
    if (encoded.length != 8) {
      throw new IllegalArgumentException("a count is 8 bytes");
    }
    return ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static byte[] take(ByteBuffer b, int length) {
    if (length < 0 || length > b.remaining()) {
      throw new IllegalArgumentException("length " + length + " runs past the end");
    }
    byte[] out = new byte[length];
    b.get(out);
    return out;
  }

  private static byte[] check32(byte[] bytes) {
    if (bytes.length != 32) {
      throw new IllegalArgumentException("expected 32 bytes");
    }
    return bytes;
  }
}
