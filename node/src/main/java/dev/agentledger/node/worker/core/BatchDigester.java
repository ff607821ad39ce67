package dev.agentledger.node.worker.core;

import dev.agentledger.hash.Sha256;
import dev.agentledger.hash.merkle.LevelHasher;
import dev.agentledger.hash.merkle.LevelHashers;
import dev.agentledger.hash.merkle.MerkleTree;
import dev.agentledger.hash.merkle.TreeHash;
import dev.agentledger.node.tx.TransactionSlot;
import org.agrona.DirectBuffer;

/**
 * The batch digest (batch format {@value #FORMAT}): the identity of one sealing of a batch by its
 * author.
 *
 * <pre>
 *   digest  = SHA-256(0x02 | author u16 LE | seq u64 LE | tx_root)
 *   tx_root = RFC 6962 / RFC 9162 tree head (section 2.1.1) over the transaction ids of the batch's
 *             slots (runs and account operations) in batch order
 * </pre>
 *
 * The author and its sequence number are bound in, so two sealings of the same transactions (a run
 * taken back after execution refused it and sealed again) are two batches, each certified, ordered
 * and executed on its own. The prefix byte 0x02 keeps the digest apart from the tree's leaf (0x00)
 * and node (0x01) hashes; {@code tx_root} still proves any transaction's inclusion in the batch
 * with an audit path. Batch format 1 was the bare {@code tx_root}; {@link #transactionRoot} is that
 * value, which {@link PeerBatchCheck} uses to recognise (and refuse) a format-1 peer. The levels
 * are hashed by a {@link LevelHasher}: the CPU engine by default, the node's hashing backend when
 * one is given (the same bytes either way). Reuses its scratch; single-threaded.
 */
public final class BatchDigester {
  /** The batch format this digester computes (stored under {@link Worker#BATCH_FORMAT_KEY}). */
  public static final int FORMAT = 2;

  /** The first byte hashed into a digest (domain separation from the tree's 0x00 and 0x01). */
  static final byte DOMAIN = 0x02;

  /** Where the transaction root sits in the hashed identity (after prefix, author and seq). */
  private static final int ROOT_AT = 1 + 2 + 8;

  private final TransactionSlot slot = new TransactionSlot();
  private final Sha256 sha = new Sha256();
  private final LevelHasher levelHasher;
  private final byte[] id = new byte[32];
  private final byte[] identity = new byte[ROOT_AT + 32];
  private byte[] leaves = new byte[32 * 1024];

  /** Hashing with the CPU engine ({@link LevelHashers#defaultHasher()}). */
  public BatchDigester() {
    this(LevelHashers.defaultHasher());
  }

  /** Hashing the tree's levels with {@code levelHasher} (the node's hashing backend). */
  public BatchDigester(LevelHasher levelHasher) {
    this.levelHasher = levelHasher;
  }

  /**
   * The digest of batch {@code seq} of {@code author} holding the {@code count} records at {@code
   * buffer[offset]}, written to {@code out[0, 32)}.
   */
  public void digest(int author, long seq, DirectBuffer buffer, int offset, int count, byte[] out) {
    transactionRoot(buffer, offset, count, identity, ROOT_AT);
    hashIdentity(author, seq, out);
  }

  /**
   * The digest of batch {@code seq} of {@code author} whose transaction root ({@link
   * #transactionRoot}) is {@code root[rootOffset, +32)}, written to {@code out[0, 32)}.
   */
  public void identity(int author, long seq, byte[] root, int rootOffset, byte[] out) {
    System.arraycopy(root, rootOffset, identity, ROOT_AT, 32);
    hashIdentity(author, seq, out);
  }

  private void hashIdentity(int author, long seq, byte[] out) {
    if (author < 0 || author > 0xFFFF) {
      throw new IllegalArgumentException("author " + author + " is not a u16");
    }
    identity[0] = DOMAIN;
    identity[1] = (byte) author;
    identity[2] = (byte) (author >>> 8);
    for (int i = 0; i < 8; i++) {
      identity[3 + i] = (byte) (seq >>> (8 * i));
    }
    sha.reset();
    sha.update(identity, 0, ROOT_AT + 32);
    sha.digest(out, 0);
  }

  /**
   * The RFC 6962 tree head over the transaction ids of the {@code count} records at {@code
   * buffer[offset]}, written to {@code out[outOffset, +32)}.
   */
  public void transactionRoot(
      DirectBuffer buffer, int offset, int count, byte[] out, int outOffset) {
    if (leaves.length < count * 32) {
      leaves = new byte[count * 32];
    }
    for (int i = 0; i < count; i++) {
      slot.transactionId(buffer, offset + i * TransactionSlot.LENGTH, sha, id, 0);
      TreeHash.leafHash(sha, id, 0, 32, leaves, i * 32);
    }
    byte[] root = MerkleTree.ofPackedLeafHashes(leaves, count, levelHasher).root();
    System.arraycopy(root, 0, out, outOffset, 32);
  }
}
