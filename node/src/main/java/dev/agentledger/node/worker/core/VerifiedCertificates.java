package dev.agentledger.node.worker.core;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The batch certificates this validator has already verified, shared by its worker and its primary:
 * the same certificate reaches a validator twice (as the peer worker's BATCH_CERT and inside the
 * peer primary's consensus batch reference), and its signatures need checking once. Keyed by the
 * certificate's whole encoding (author, sequence, digest, count, signers and signatures), so a
 * certificate that differs in any byte is verified on its own. Bounded: the least recently added
 * entry is evicted past {@code capacity}. Thread-safe (a monitor; one entry per certificate, not
 * per transaction).
 */
public final class VerifiedCertificates {
  private final Map<ByteBuffer, Boolean> entries;
  private long hits;
  private long duplicates;

  public VerifiedCertificates(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.entries =
        new LinkedHashMap<>(capacity * 2) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** True when {@code encoding} was added before (and not evicted since). */
  public synchronized boolean contains(byte[] encoding) {
    boolean found = entries.containsKey(ByteBuffer.wrap(encoding));
    if (found) {
      hits++;
    }
    return found;
  }

  /** Records a verified certificate's encoding (kept by reference: callers must not change it). */
  public synchronized void add(byte[] encoding) {
    if (entries.put(ByteBuffer.wrap(encoding), Boolean.TRUE) != null) {
      duplicates++;
    }
  }

  /** Checks answered from here instead of verifying signatures again. */
  public synchronized long hits() {
    return hits;
  }

  /**
   * Certificates added while already here: both checkers verified the same certificate at once
   * (each looked before the other added it), so its signatures were checked twice.
   */
  public synchronized long duplicates() {
    return duplicates;
  }

  public synchronized int size() {
    return entries.size();
  }
}
