package dev.agentledger.node.worker.core;

import dev.agentledger.hash.Sha256;
import dev.agentledger.hash.merkle.LevelHasher;
import dev.agentledger.hash.merkle.LevelHashers;
import dev.agentledger.hash.merkle.MerkleTree;
import dev.agentledger.hash.merkle.TreeHash;
import dev.agentledger.node.tx.TransactionSlot;
import org.agrona.DirectBuffer;

/**
 * The batch digest: the RFC 6962 / RFC 9162 tree head (section 2.1.1) over the transaction ids of
 * the batch's slots (runs and account operations) in batch order, so any transaction's inclusion in
 * a certified batch is provable with an audit path. The levels are hashed by a {@link LevelHasher}:
 * the CPU engine by default, the node's hashing backend when one is given (the same bytes either
 * way). Reuses its scratch; single-threaded.
 */
public final class BatchDigester {
  private final TransactionSlot slot = new TransactionSlot();
  private final Sha256 sha = new Sha256();
  private final LevelHasher levelHasher;
  private final byte[] id = new byte[32];
  private byte[] leaves = new byte[32 * 1024];

  /** Hashing with the CPU engine ({@link LevelHashers#defaultHasher()}). */
  public BatchDigester() {
    this(LevelHashers.defaultHasher());
  }

  /** Hashing the tree's levels with {@code levelHasher} (the node's hashing backend). */
  public BatchDigester(LevelHasher levelHasher) {
    this.levelHasher = levelHasher;
  }

  /** Digest of {@code count} records at {@code buffer[offset]}, written to {@code out[0, 32)}. */
  public void digest(DirectBuffer buffer, int offset, int count, byte[] out) {
    if (leaves.length < count * 32) {
      leaves = new byte[count * 32];
    }
    for (int i = 0; i < count; i++) {
      slot.transactionId(buffer, offset + i * TransactionSlot.LENGTH, sha, id, 0);
      TreeHash.leafHash(sha, id, 0, 32, leaves, i * 32);
    }
    byte[] root = MerkleTree.ofPackedLeafHashes(leaves, count, levelHasher).root();
    System.arraycopy(root, 0, out, 0, 32);
  }
}
