package dev.agentledger.node.consensus;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.consensus.core.MessageSignatures;
import dev.agentledger.node.consensus.core.RangeVerifier;
import dev.agentledger.node.consensus.core.SignatureVerifier;
import dev.agentledger.node.consensus.core.Signer;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import java.security.SecureRandom;

/** Ed25519 (RFC 8032, ZIP-215 verification) behind the consensus signature interfaces. */
public final class Ed25519Signatures {
  private Ed25519Signatures() {}

  /** Signs with the 32-byte {@code seed}; the public key is derived once. */
  public static Signer signer(byte[] seed) {
    byte[] secret = seed.clone();
    byte[] publicKey = Ed25519.publicKey(secret);
    return message -> Ed25519.sign(secret, publicKey, message, 0, message.length);
  }

  /** Verifies against the committee's public keys. */
  public static SignatureVerifier verifier(Committee committee) {
    return (signer, message, signature) ->
        committee.isMember(signer)
            && signature.length == Ed25519.SIGNATURE_BYTES
            && Ed25519.verify(committee.publicKey(signer), signature, message);
  }

  /**
   * Verifies a range of consensus signatures as batches of up to {@value BatchRange#CHUNK} (one
   * multi-scalar multiplication per chunk, bisection on failure, so every verdict equals {@link
   * #verifier}'s); a lone signature is verified singly. One instance per thread.
   */
  public static RangeVerifier batchVerifier(Committee committee) {
    return new BatchRange(committee, new CpuBatchVerifier(new SecureRandom()));
  }

  /**
   * As {@link #batchVerifier(Committee)}, the chunks checked by {@code batches} (in a node, the
   * routed verifier of its {@code sig_backend}; its verdicts must be the single ZIP-215 ones).
   */
  public static RangeVerifier batchVerifier(
      Committee committee, dev.agentledger.sig.BatchVerifier batches) {
    return new BatchRange(committee, batches);
  }

  private static final class BatchRange implements RangeVerifier {
    static final int CHUNK = 256;
    private final Committee committee;
    private final dev.agentledger.sig.BatchVerifier cpu;
    private final dev.agentledger.sig.SignatureBatch items =
        new dev.agentledger.sig.SignatureBatch(CHUNK);
    private final boolean[] verdicts = new boolean[CHUNK];
    private final int[] index = new int[CHUNK];

    BatchRange(Committee committee, dev.agentledger.sig.BatchVerifier batches) {
      this.committee = committee;
      this.cpu = batches;
    }

    @Override
    public void verifyRange(MessageSignatures batch, int from, int to) {
      int n = 0;
      for (int i = from; i < to; i++) {
        byte[] signature = batch.signature(i);
        int signer = batch.signer(i);
        if (signature == null
            || signature.length != Ed25519.SIGNATURE_BYTES
            || !committee.isMember(signer)) {
          batch.setResult(i, false);
          continue;
        }
        items.add(committee.publicKey(signer), signature, batch.message(i));
        index[n++] = i;
        if (n == CHUNK) {
          flush(batch, n);
          n = 0;
        }
      }
      flush(batch, n);
    }

    private void flush(MessageSignatures batch, int n) {
      if (n == 1) {
        verdicts[0] = items.verifySingle(0);
      } else if (n > 1) {
        cpu.verify(items, verdicts);
      }
      for (int k = 0; k < n; k++) {
        batch.setResult(index[k], verdicts[k]);
      }
      items.clear();
    }
  }
}
