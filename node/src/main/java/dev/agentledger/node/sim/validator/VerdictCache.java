package dev.agentledger.node.sim.validator;

import dev.agentledger.hash.Sha256;
import dev.agentledger.node.ingress.BatchSignatureVerifier;
import dev.agentledger.node.ingress.RunSignatureBatch;
import dev.agentledger.sig.BatchVerifier;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.SignatureBatch;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Signature verdicts shared by the validators of one simulation. In a committee every validator
 * checks the same votes, certificates and acknowledgements; verification is a pure function of
 * (public key, signature, message), so the first check's verdict stands for the others: the answer
 * is the same, only cheaper. Keyed by the SHA-256 of the three, so a corrupted signature or message
 * is a different key and is verified for real. Single-threaded, like the simulation.
 */
final class VerdictCache {
  private final Map<ByteBuffer, Boolean> verdicts = new HashMap<>();
  private final Sha256 sha = new Sha256();
  private long hits;
  private long misses;

  /** A verifier that answers from the cache and verifies the rest with {@code inner}. */
  BatchVerifier wrap(BatchVerifier inner) {
    return new Cached(inner);
  }

  long hits() {
    return hits;
  }

  long misses() {
    return misses;
  }

  /**
   * The ingress's run-signature verifier over the cache: each run is checked by the validator it
   * was submitted to and again, inside a batch, by every other.
   */
  BatchSignatureVerifier runs() {
    return batch -> {
      int m = batch.messageLength();
      for (int i = 0; i < batch.count(); i++) {
        ByteBuffer key =
            key(
                batch.keys(),
                i * RunSignatureBatch.KEY,
                batch.signatures(),
                i * 64,
                batch.messages(),
                i * m,
                m);
        Boolean known = verdicts.get(key);
        if (known == null) {
          misses++;
          known =
              Ed25519.verify(
                  batch.keys(),
                  i * RunSignatureBatch.KEY,
                  batch.signatures(),
                  i * 64,
                  batch.messages(),
                  i * m,
                  m);
          verdicts.put(key, known);
        } else {
          hits++;
        }
        batch.setValid(i, known);
      }
    };
  }

  private ByteBuffer key(SignatureBatch batch, int i) {
    return key(
        batch.publicKey(i),
        batch.publicKeyOffset(i),
        batch.signature(i),
        batch.signatureOffset(i),
        batch.message(i),
        batch.messageOffset(i),
        batch.messageLength(i));
  }

  private ByteBuffer key(
      byte[] publicKey,
      int publicKeyOffset,
      byte[] signature,
      int signatureOffset,
      byte[] message,
      int messageOffset,
      int messageLength) {
    sha.reset();
    sha.update(publicKey, publicKeyOffset, 32);
    sha.update(signature, signatureOffset, 64);
    sha.update(message, messageOffset, messageLength);
    byte[] digest = new byte[32];
    sha.digest(digest, 0);
    return ByteBuffer.wrap(digest);
  }

  private final class Cached implements BatchVerifier {
    private final BatchVerifier inner;

    Cached(BatchVerifier inner) {
      this.inner = inner;
    }

    @Override
    public int verify(SignatureBatch batch, boolean[] out) {
      int n = batch.size();
      ByteBuffer[] keys = new ByteBuffer[n];
      int[] missing = new int[n];
      int missingCount = 0;
      int valid = 0;
      for (int i = 0; i < n; i++) {
        keys[i] = key(batch, i);
        Boolean known = verdicts.get(keys[i]);
        if (known == null) {
          missing[missingCount++] = i;
        } else {
          out[i] = known;
          valid += known ? 1 : 0;
        }
      }
      hits += n - missingCount;
      misses += missingCount;
      if (missingCount == 0) {
        return valid;
      }
      SignatureBatch rest = new SignatureBatch(missingCount);
      for (int m = 0; m < missingCount; m++) {
        int i = missing[m];
        rest.add(
            batch.publicKey(i),
            batch.publicKeyOffset(i),
            batch.signature(i),
            batch.signatureOffset(i),
            batch.message(i),
            batch.messageOffset(i),
            batch.messageLength(i));
      }
      boolean[] verdict = new boolean[missingCount];
      inner.verify(rest, verdict);
      for (int m = 0; m < missingCount; m++) {
        int i = missing[m];
        out[i] = verdict[m];
        valid += verdict[m] ? 1 : 0;
        verdicts.put(keys[i], verdict[m]);
      }
      return valid;
    }

    @Override
    public String name() {
      return inner.name();
    }
  }
}
