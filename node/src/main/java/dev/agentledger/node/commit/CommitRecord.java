package dev.agentledger.node.commit;

import dev.agentledger.hash.Sha256;
import dev.agentledger.node.execution.core.CommitExecution;
import dev.agentledger.node.execution.core.CommitOutput;
import dev.agentledger.node.execution.core.CommittedInput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One executed commit, as validators sign it. Canonical encoding (little-endian, no padding):
 *
 * <pre>
 *   version u8 (1) | chain_id u32 | sequence u64 | round u64 | anchor 32 B | previous 32 B
 *   | tx_root 32 B | tx_count u64 | receipts_root 32 B | state_root 32 B
 *   | batch_count u32 | batch digests 32 B each
 * </pre>
 *
 * {@code tx_root} is the RFC 6962 tree head over the transaction ids in commit order, {@code
 * receipts_root} over the 43-byte receipts in the same order (so recorded failures are provable
 * too), {@code previous} the hash of commit {@code sequence - 1} (zero for the first). The commit
 * hash is SHA-256 of the encoding; the chain of previous hashes makes the commits a hash chain.
 */
public record CommitRecord(
    int chainId,
    long sequence,
    long round,
    byte[] anchor,
    byte[] previous,
    byte[] txRoot,
    long txCount,
    byte[] receiptsRoot,
    byte[] stateRoot,
    List<byte[]> batchDigests) {
  public static final byte VERSION_1 = 1;
  static final int FIXED_LENGTH = 1 + 4 + 8 + 8 + 32 + 32 + 32 + 8 + 32 + 32 + 4;

  /** The most batch digests a decoded record may carry (bounds a malicious input). */
  public static final int MAX_BATCHES = 1 << 16;

  public CommitRecord {
    check(anchor, "anchor");
    check(previous, "previous");
    check(txRoot, "tx_root");
    check(receiptsRoot, "receipts_root");
    check(stateRoot, "state_root");
    batchDigests.forEach(d -> check(d, "batch digest"));
    if (batchDigests.size() > MAX_BATCHES) {
      throw new IllegalArgumentException("too many batch digests");
    }
    batchDigests = List.copyOf(batchDigests);
  }

  private static void check(byte[] hash, String what) {
    if (hash == null || hash.length != 32) {
      throw new IllegalArgumentException(what + " must be 32 bytes");
    }
  }

  /** The record of an executed commit that follows {@code previous}. */
  public static CommitRecord of(int chainId, CommitExecution execution, byte[] previous) {
    var input = execution.input();
    return new CommitRecord(
        chainId,
        input.sequence(),
        input.round(),
        input.anchor(),
        previous,
        execution.txRoot(),
        execution.txIds().size(),
        execution.receiptsRoot(),
        execution.stateRoot(),
        input.batchDigests());
  }

  /**
   * The record of {@code input} executed into {@code output} (its roots are copied: the output is
   * reused by the next commit).
   */
  public static CommitRecord of(
      int chainId, CommittedInput input, CommitOutput output, byte[] previous) {
    return new CommitRecord(
        chainId,
        input.sequence(),
        input.round(),
        input.anchor(),
        previous,
        output.txRoot().clone(),
        output.count(),
        output.receiptsRoot().clone(),
        output.stateRoot().clone(),
        input.batchDigests());
  }

  /** The length of {@code record}'s encoding. */
  public static int encodedLength(CommitRecord record) {
    return FIXED_LENGTH + 32 * record.batchDigests.size();
  }

  public byte[] encode() {
    byte[] out = new byte[FIXED_LENGTH + 32 * batchDigests.size()];
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    b.put(VERSION_1)
        .putInt(chainId)
        .putLong(sequence)
        .putLong(round)
        .put(anchor)
        .put(previous)
        .put(txRoot);
    b.putLong(txCount).put(receiptsRoot).put(stateRoot).putInt(batchDigests.size());
    batchDigests.forEach(b::put);
    return out;
  }

  /** SHA-256 of the encoding. */
  public byte[] hash() {
    return Sha256.digest(encode());
  }

  /**
   * Decodes a canonical encoding; throws {@link IllegalArgumentException} for anything else (wrong
   * version, wrong length, trailing bytes).
   */
  public static CommitRecord decode(byte[] encoded) {
    if (encoded.length < FIXED_LENGTH) {
      throw new IllegalArgumentException("commit record shorter than " + FIXED_LENGTH + " bytes");
    }
    ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
    if (b.get() != VERSION_1) {
      throw new IllegalArgumentException("unknown commit record version");
    }
    int chainId = b.getInt();
    long sequence = b.getLong();
    long round = b.getLong();
    byte[] anchor = take(b);
    byte[] previous = take(b);
    byte[] txRoot = take(b);
    long txCount = b.getLong();
    byte[] receiptsRoot = take(b);
    byte[] stateRoot = take(b);
    int count = b.getInt();
    if (count < 0 || count > MAX_BATCHES || encoded.length != FIXED_LENGTH + 32L * count) {
      throw new IllegalArgumentException("commit record length does not match its batch count");
    }
    List<byte[]> digests = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      digests.add(take(b));
    }
    return new CommitRecord(
        chainId,
        sequence,
        round,
        anchor,
        previous,
        txRoot,
        txCount,
        receiptsRoot,
        stateRoot,
        digests);
  }

  private static byte[] take(ByteBuffer b) {
    byte[] out = new byte[32];
    b.get(out);
    return out;
  }
}
