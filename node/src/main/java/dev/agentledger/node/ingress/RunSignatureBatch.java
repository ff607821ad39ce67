package dev.agentledger.node.ingress;

import static dev.agentledger.node.tx.AgentRunDescriptor.SIGNATURE_LENGTH;
import static dev.agentledger.node.tx.AgentRunDescriptor.SIGNING_MESSAGE_LENGTH;

import dev.agentledger.node.tx.AgentRunFlyweight;

/**
 * A reusable batch of (public key, signature, message) triples laid out in flat arrays, the shape
 * batch verifiers and accelerators take; {@link #valid} holds the per-item answers. No allocation
 * after construction.
 */
public final class RunSignatureBatch {
  public static final int KEY = 32;

  private final int capacity;
  final byte[] keys;
  final byte[] signatures;
  final byte[] messages;
  final boolean[] valid;
  private int count;

  public RunSignatureBatch(int capacity) {
    this.capacity = capacity;
    keys = new byte[capacity * KEY];
    signatures = new byte[capacity * SIGNATURE_LENGTH];
    messages = new byte[capacity * SIGNING_MESSAGE_LENGTH];
    valid = new boolean[capacity];
  }

  public int capacity() {
    return capacity;
  }

  public int count() {
    return count;
  }

  public void clear() {
    count = 0;
  }

  /** Adds the run's key, signature and signed message; returns its index in the batch. */
  public int add(AgentRunFlyweight run) {
    int i = count++;
    run.getAgent(keys, i * KEY);
    run.getSignature(signatures, i * SIGNATURE_LENGTH);
    run.signingMessage(messages, i * SIGNING_MESSAGE_LENGTH);
    valid[i] = false;
    return i;
  }

  public byte[] keys() {
    return keys;
  }

  public byte[] signatures() {
    return signatures;
  }

  public byte[] messages() {
    return messages;
  }

  public int messageLength() {
    return SIGNING_MESSAGE_LENGTH;
  }

  public boolean valid(int index) {
    return valid[index];
  }

  public void setValid(int index, boolean value) {
    valid[index] = value;
  }

  /**
   * Verifies this batch with {@code verifier} in chunks of at most {@code verdicts.length} items,
   * through the reusable {@code items} (capacity at least that), and stores the answers in {@link
   * #valid}; returns the number of chunks. No allocation.
   */
  public int verifyInChunks(
      dev.agentledger.sig.BatchVerifier verifier,
      dev.agentledger.sig.SignatureBatch items,
      boolean[] verdicts) {
    int chunkSize = verdicts.length;
    int m = messageLength();
    int chunks = 0;
    for (int from = 0; from < count; from += chunkSize) {
      int to = Math.min(count, from + chunkSize);
      items.clear();
      for (int i = from; i < to; i++) {
        items.add(keys, i * KEY, signatures, i * SIGNATURE_LENGTH, messages, i * m, m);
      }
      verifier.verify(items, verdicts);
      System.arraycopy(verdicts, 0, valid, from, to - from);
      chunks++;
    }
    items.clear();
    return chunks;
  }
}
