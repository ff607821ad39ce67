package dev.agentledger.node.consensus;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Consensus signatures this validator already holds as valid: ones it verified, and ones it made
 * with its own key. A vertex's signature comes again inside its certificate, this validator's own
 * vote comes back inside the certificate of the vertex it voted for, and certificates are repeated
 * and served in fetch responses; each of those is checked once. An entry is the exact (signer,
 * signed bytes, signature) triple, so a verdict taken from here is the verdict the check would give
 * (verification is a function of the triple). Bounded: the oldest entries are forgotten first. Not
 * thread-safe; the primary's agent owns it.
 */
final class KnownSignatures {
  private final Map<Key, Boolean> entries;

  private record Key(int signer, byte[] message, byte[] signature) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && k.signer == signer
          && Arrays.equals(k.message, message)
          && Arrays.equals(k.signature, signature);
    }

    @Override
    public int hashCode() {
      return (31 * signer + Arrays.hashCode(message)) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
      return "Key[signer=" + signer + "]";
    }
  }

  /**
   * @param capacity the most triples remembered (at least 1)
   */
  KnownSignatures(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.entries =
        new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Whether this exact triple is held as valid. */
  boolean contains(int signer, byte[] message, byte[] signature) {
    return message != null
        && signature != null
        && entries.containsKey(new Key(signer, message, signature));
  }

  /**
   * Holds this triple as valid (a verified signature or an own one); keeps copies of the arrays.
   */
  void add(int signer, byte[] message, byte[] signature) {
    entries.put(new Key(signer, message.clone(), signature.clone()), Boolean.TRUE);
  }

  int size() {
    return entries.size();
  }
}
