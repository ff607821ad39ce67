package dev.agentledger.node.consensus.core;

import java.util.Arrays;

/**
 * The signatures of a batch of consensus messages, flattened into items (signer, message,
 * signature) that belong to an owner (the message's position in the batch). Verification of the
 * items may run on many threads; {@link #ownerValid} folds the item results back per message.
 * Reused between batches: {@link #clear()} keeps the arrays.
 */
public final class MessageSignatures {
  private int size;
  private int[] owners = new int[64];
  private int[] signers = new int[64];
  private byte[][] messages = new byte[64][];
  private byte[][] signatures = new byte[64][];
  private boolean[] results = new boolean[64];

  public void clear() {
    size = 0;
  }

  public int size() {
    return size;
  }

  /** Adds one signature to check for message {@code owner}. */
  public void add(int owner, int signer, byte[] message, byte[] signature) {
    if (size == owners.length) {
      int n = size * 2;
      owners = Arrays.copyOf(owners, n);
      signers = Arrays.copyOf(signers, n);
      messages = Arrays.copyOf(messages, n);
      signatures = Arrays.copyOf(signatures, n);
      results = Arrays.copyOf(results, n);
    }
    owners[size] = owner;
    signers[size] = signer;
    messages[size] = message;
    signatures[size] = signature;
    results[size] = false;
    size++;
  }

  /** Verifies items {@code [from, to)}; threads may verify disjoint ranges concurrently. */
  public void verifyRange(SignatureVerifier verifier, int from, int to) {
    for (int i = from; i < to; i++) {
      results[i] = signatures[i] != null && verifier.verify(signers[i], messages[i], signatures[i]);
    }
  }

  /** Marks item {@code i} as verified with result {@code ok} (for an external batch verifier). */
  public void setResult(int i, boolean ok) {
    results[i] = ok;
  }

  public int signer(int i) {
    return signers[i];
  }

  public byte[] message(int i) {
    return messages[i];
  }

  public byte[] signature(int i) {
    return signatures[i];
  }

  /** ANDs the item results into {@code valid[owner]}; entries must start true. */
  public void ownerValid(boolean[] valid) {
    for (int i = 0; i < size; i++) {
      if (!results[i]) {
        valid[owners[i]] = false;
      }
    }
  }
}
