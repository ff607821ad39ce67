package dev.agentledger.node.worker.core;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.sig.BatchVerifier;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Verifies batch certificates with the same verdict as {@link BatchCertificate#verify}, cheaper: a
 * certificate already in the shared {@link VerifiedCertificates} is not verified again, and the
 * quorum's signatures are checked as one batch (random linear combination; with bisection every
 * verdict equals single verification, so the refusal names the same validator). Not thread-safe:
 * one instance per thread (worker, primary), sharing one {@link VerifiedCertificates}.
 */
public final class CertificateVerifier {
  private final Committee committee;
  private final int chainId;
  private final VerifiedCertificates verified;
  private final byte[][] keys;
  private final byte[] message = new byte[BatchCertificate.ACK_MESSAGE_LENGTH];
  private final SignatureBatch batch;
  private final boolean[] verdicts;
  private final int[] checkedAt;
  private final BatchVerifier cpu;
  private volatile long signaturesVerified;
  private volatile long cacheHits;

  public CertificateVerifier(Committee committee, int chainId, VerifiedCertificates verified) {
    this(committee, chainId, verified, new SecureRandom());
  }

  /** With a given CSPRNG for the batch equation's coefficients (never a non-cryptographic RNG). */
  public CertificateVerifier(
      Committee committee, int chainId, VerifiedCertificates verified, SecureRandom random) {
    this(committee, chainId, verified, new CpuBatchVerifier(random));
  }

  /**
   * With the quorums' signatures checked by {@code batches} (in a node, the routed verifier of its
   * {@code sig_backend}; its verdicts must be the single ZIP-215 ones).
   */
  public CertificateVerifier(
      Committee committee, int chainId, VerifiedCertificates verified, BatchVerifier batches) {
    this.committee = committee;
    this.chainId = chainId;
    this.verified = verified;
    this.keys = new byte[committee.size()][32];
    for (int i = 0; i < keys.length; i++) {
      committee.copyKey(i, keys[i], 0);
    }
    this.batch = new SignatureBatch(Math.max(1, committee.size()));
    this.verdicts = new boolean[Math.max(1, committee.size())];
    this.checkedAt = new int[Math.max(1, committee.size())];
    this.cpu = batches;
  }

  /**
   * Null when valid under the committee, else why not (the same reasons as {@link
   * BatchCertificate#verify}).
   */
  public String verify(BatchCertificate c) {
    return verify(c, -1, null);
  }

  /**
   * As {@link #verify(BatchCertificate)}, except that the signature of validator {@code
   * vouchedSigner} is taken as valid without a check when its bytes equal {@code vouchedSignature}:
   * the caller's own signature over this certificate's {@link BatchCertificate#ackMessage} (author,
   * seq, digest and count all equal), kept when it signed. Ed25519 signatures are deterministic, so
   * equal bytes over the same message are that valid signature; any other bytes are verified like
   * the rest.
   */
  public String verify(BatchCertificate c, int vouchedSigner, byte[] vouchedSignature) {
    byte[] encoding = c.toBytes();
    if (verified.contains(encoding)) {
      cacheHits++;
      return null;
    }
    String form = c.formError(committee);
    if (form != null) {
      return form;
    }
    int[] signers = c.signers();
    BatchCertificate.ackMessage(chainId, c.author(), c.seq(), c.digest(), c.txCount(), message);
    batch.clear();
    int vouched = -1;
    int checked = 0;
    for (int i = 0; i < signers.length; i++) {
      if (vouched < 0
          && signers[i] == vouchedSigner
          && vouchedSignature != null
          && Arrays.equals(c.signatures()[i], vouchedSignature)) {
        vouched = i;
        continue;
      }
      checkedAt[checked++] = i;
      batch.add(keys[signers[i]], c.signatures()[i], message);
    }
    signaturesVerified += checked;
    if (checked == 1) {
      int i = checkedAt[0];
      verdicts[0] = Ed25519.verify(keys[signers[i]], c.signatures()[i], message);
    } else if (checked > 1) {
      cpu.verify(batch, verdicts);
    }
    for (int k = 0; k < checked; k++) {
      if (!verdicts[k]) {
        return "signature of validator " + signers[checkedAt[k]] + " does not verify";
      }
    }
    if (!committee.isQuorum(c.signerStake(committee))) {
      return "signers hold no quorum of stake";
    }
    verified.add(encoding);
    return null;
  }

  /** Signatures this instance checked (certificates answered by the shared set cost none). */
  public long signaturesVerified() {
    return signaturesVerified;
  }

  /** Certificates this instance answered from the shared set without checking a signature. */
  public long cacheHits() {
    return cacheHits;
  }
}
