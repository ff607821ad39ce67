package dev.agentledger.node.worker.core;

import dev.agentledger.hash.merkle.LevelHasher;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.tx.AgentRunError;
import dev.agentledger.node.tx.TransactionSlot;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.agrona.DirectBuffer;

/**
 * The structural checks on a peer's BATCH frame (already passed {@link Wire#validate}), before its
 * signatures are verified: the author is another committee member, every record is well-formed and
 * of this chain, and the claimed digest is the {@link BatchDigester} digest of the frame's author,
 * sequence number and records. A digest that is the bare transaction root is a peer on batch format
 * 1 ({@link Result#OLD_FORMAT}). Pure and reusable; one instance per thread (it owns scratch).
 */
public final class PeerBatchCheck {
  private static final System.Logger LOG = System.getLogger(PeerBatchCheck.class.getName());
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  /** The outcome; anything but OK refuses the frame. */
  public enum Result {
    OK,
    BAD_AUTHOR,
    MALFORMED,
    BAD_DIGEST,
    /** The claimed digest is the transaction root alone: the author runs batch format 1. */
    OLD_FORMAT
  }

  private final int self;
  private final int chainId;
  private final int committeeSize;
  private BatchDigester digester = new BatchDigester();
  private final TransactionSlot slot = new TransactionSlot();
  private final byte[] digest = new byte[32];
  private final byte[] root = new byte[32];
  private final byte[] claimed = new byte[32];
  private final boolean[] loggedOldFormat;

  public PeerBatchCheck(int self, int chainId, int committeeSize) {
    this.self = self;
    this.chainId = chainId;
    this.committeeSize = committeeSize;
    this.loggedOldFormat = new boolean[committeeSize];
  }

  /** Recomputes digests with {@code hasher} (the node's hashing backend) from now on. */
  public void hashWith(LevelHasher hasher) {
    digester = new BatchDigester(hasher);
  }

  public Result check(DirectBuffer buffer, int offset) {
    int author = author(buffer, offset);
    if (author >= committeeSize || author == self) {
      return Result.BAD_AUTHOR;
    }
    int count = count(buffer, offset);
    int recordsAt = recordsAt(offset);
    for (int i = 0; i < count; i++) {
      int at = recordsAt + i * TransactionSlot.LENGTH;
      if (slot.validate(buffer, at) != AgentRunError.NONE
          || TransactionSlot.chainId(buffer, at) != chainId) {
        return Result.MALFORMED;
      }
    }
    digester.transactionRoot(buffer, recordsAt, count, root, 0);
    digester.identity(author, seq(buffer, offset), root, 0, digest);
    buffer.getBytes(offset + Wire.HEADER_LENGTH + Wire.BATCH_DIGEST, claimed, 0, 32);
    if (Arrays.equals(digest, claimed)) {
      return Result.OK;
    }
    if (!Arrays.equals(root, claimed)) {
      return Result.BAD_DIGEST;
    }
    if (!loggedOldFormat[author]) {
      loggedOldFormat[author] = true;
      LOG.log(
          System.Logger.Level.ERROR,
          "validator {0}: refused batches of validator {1}: they are batch format 1 (digest = bare"
              + " transaction root); this node needs batch format {2}: upgrade every validator",
          self,
          author,
          BatchDigester.FORMAT);
    }
    return Result.OLD_FORMAT;
  }

  public static int author(DirectBuffer buffer, int offset) {
    return Short.toUnsignedInt(
        buffer.getShort(offset + Wire.HEADER_LENGTH + Wire.BATCH_AUTHOR, LE));
  }

  public static long seq(DirectBuffer buffer, int offset) {
    return buffer.getLong(offset + Wire.HEADER_LENGTH + Wire.BATCH_SEQ, LE);
  }

  public static int count(DirectBuffer buffer, int offset) {
    return buffer.getInt(offset + Wire.HEADER_LENGTH + Wire.BATCH_COUNT, LE);
  }

  public static int recordsAt(int offset) {
    return offset + Wire.HEADER_LENGTH + Wire.BATCH_RECORDS;
  }
}
