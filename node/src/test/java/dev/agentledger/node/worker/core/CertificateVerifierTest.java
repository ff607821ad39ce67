package dev.agentledger.node.worker.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.net.TestKeys;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The cheaper certificate check (shared set of verified certificates, quorum signatures as one
 * batch) refuses exactly what {@link BatchCertificate#verify} refuses, for the same reason, and the
 * shared set never vouches for a certificate that differs in any byte.
 */
class CertificateVerifierTest {
  static final int CHAIN = 11;
  final Committee committee = TestKeys.committee(4, new int[4], new int[4]);

  BatchCertificate certificate(int author, long seq, int... signers) {
    byte[] digest = new byte[32];
    Arrays.fill(digest, (byte) (seq * 7 + author));
    byte[] message = new byte[BatchCertificate.ACK_MESSAGE_LENGTH];
    BatchCertificate.ackMessage(CHAIN, author, seq, digest, 5, message);
    byte[][] sigs = new byte[signers.length][];
    for (int i = 0; i < signers.length; i++) {
      sigs[i] = TestKeys.key(signers[i]).sign(message);
    }
    return new BatchCertificate(author, seq, digest, 5, signers, sigs);
  }

  static BatchCertificate withSignature(BatchCertificate c, int i, byte[] signature) {
    byte[][] sigs = c.signatures().clone();
    sigs[i] = signature;
    return new BatchCertificate(c.author(), c.seq(), c.digest(), c.txCount(), c.signers(), sigs);
  }

  @Test
  void verdictsAndReasonsEqualTheSingleCheck() {
    VerifiedCertificates shared = new VerifiedCertificates(64);
    CertificateVerifier verifier = new CertificateVerifier(committee, CHAIN, shared);
    BatchCertificate good = certificate(1, 3, 0, 1, 2);
    BatchCertificate all = certificate(2, 4, 0, 1, 2, 3);
    BatchCertificate noQuorum = certificate(0, 1, 0, 1);
    BatchCertificate unordered = certificate(0, 2, 1, 0, 2);
    BatchCertificate wrongChain =
        new BatchCertificate(1, 3, good.digest(), 6, good.signers(), good.signatures());
    BatchCertificate badAuthor =
        new BatchCertificate(9, 3, good.digest(), 5, good.signers(), good.signatures());
    for (BatchCertificate c :
        new BatchCertificate[] {good, all, noQuorum, unordered, wrongChain, badAuthor}) {
      assertThat(verifier.verify(c)).as(c.toString()).isEqualTo(c.verify(committee, CHAIN));
    }
    assertThat(verifier.verify(good)).isNull();
    assertThat(verifier.verify(noQuorum)).isEqualTo("signers hold no quorum of stake");
    assertThat(verifier.verify(wrongChain)).startsWith("signature of validator 0");
    // every single changed signature byte is refused, naming the validator whose signature it is
    for (int signer = 0; signer < 3; signer++) {
      for (int b = 0; b < 64; b += 9) {
        byte[] sig = good.signatures()[signer].clone();
        sig[b] ^= 0x20;
        BatchCertificate forged = withSignature(good, signer, sig);
        assertThat(verifier.verify(forged))
            .as("signer %d byte %d", signer, b)
            .isEqualTo(forged.verify(committee, CHAIN))
            .isEqualTo("signature of validator " + good.signers()[signer] + " does not verify");
      }
    }
  }

  @Test
  void aVerifiedCertificateIsAnsweredFromTheSharedSetOnlyWhenEveryByteMatches() {
    VerifiedCertificates shared = new VerifiedCertificates(64);
    CertificateVerifier worker = new CertificateVerifier(committee, CHAIN, shared);
    CertificateVerifier primary = new CertificateVerifier(committee, CHAIN, shared);
    BatchCertificate good = certificate(3, 9, 1, 2, 3);
    assertThat(worker.verify(good)).isNull();
    assertThat(worker.signaturesVerified()).isEqualTo(3);
    // the same certificate decoded again (another object, equal bytes) costs the primary nothing
    BatchCertificate again = certificate(3, 9, 1, 2, 3);
    assertThat(primary.verify(again)).isNull();
    assertThat(primary.signaturesVerified()).isZero();
    assertThat(shared.hits()).isEqualTo(1);
    assertThat(primary.cacheHits()).isEqualTo(1);
    assertThat(worker.cacheHits()).isZero();
    assertThat(shared.duplicates()).as("verified once").isZero();
    // the same batch with one forged signature is checked on its own and refused
    byte[] forged = good.signatures()[2].clone();
    forged[40] ^= 1;
    assertThat(primary.verify(withSignature(good, 2, forged)))
        .isEqualTo("signature of validator 3 does not verify");
    assertThat(primary.signaturesVerified()).isEqualTo(3);
    // a refused certificate is not remembered
    assertThat(primary.verify(withSignature(good, 2, forged))).isNotNull();
    assertThat(shared.size()).isEqualTo(1);
  }

  @Test
  void aVouchedOwnSignatureSkipsOneCheckOnlyWhenItsBytesAreTheOnesSigned() {
    BatchCertificate good = certificate(1, 5, 0, 1, 2);
    byte[] mine = good.signatures()[2]; // validator 2 signed this acknowledgement itself
    CertificateVerifier v = new CertificateVerifier(committee, CHAIN, new VerifiedCertificates(64));
    assertThat(v.verify(good, 2, mine)).isNull();
    assertThat(v.signaturesVerified()).as("the other two").isEqualTo(2);

    // Other bytes in the vouched signer's place are checked, and a forgery is refused.
    byte[] forged = mine.clone();
    forged[5] ^= 1;
    CertificateVerifier w = new CertificateVerifier(committee, CHAIN, new VerifiedCertificates(64));
    assertThat(w.verify(withSignature(good, 2, forged), 2, mine))
        .isEqualTo("signature of validator 2 does not verify");
    assertThat(w.signaturesVerified()).isEqualTo(3);
    // A forged signature of another signer is refused even with the own one vouched.
    byte[] other = good.signatures()[0].clone();
    other[9] ^= 1;
    assertThat(w.verify(withSignature(good, 0, other), 2, mine))
        .isEqualTo("signature of validator 0 does not verify");
    // A vouched signer the certificate does not name changes nothing; nor does a missing quorum.
    assertThat(w.verify(certificate(3, 6, 0, 1, 3), 2, mine)).isNull();
    assertThat(w.verify(certificate(0, 7, 0, 2), 2, certificate(0, 7, 0, 2).signatures()[1]))
        .isEqualTo("signers hold no quorum of stake");
  }

  @Test
  void aCertificateAddedAgainCountsAsVerifiedTwice() {
    VerifiedCertificates shared = new VerifiedCertificates(64);
    BatchCertificate good = certificate(2, 8, 0, 1, 2);
    // both checkers looked before either recorded it: each verified it, both record it
    assertThat(shared.contains(good.toBytes())).isFalse();
    assertThat(shared.contains(good.toBytes())).isFalse();
    shared.add(good.toBytes());
    assertThat(shared.duplicates()).isZero();
    shared.add(certificate(2, 8, 0, 1, 2).toBytes());
    assertThat(shared.duplicates()).isEqualTo(1);
    assertThat(shared.size()).isEqualTo(1);
    // a different certificate is not a duplicate
    shared.add(certificate(2, 9, 0, 1, 2).toBytes());
    assertThat(shared.duplicates()).isEqualTo(1);
  }

  @Test
  void theSharedSetIsBounded() {
    VerifiedCertificates shared = new VerifiedCertificates(2);
    CertificateVerifier verifier = new CertificateVerifier(committee, CHAIN, shared);
    BatchCertificate a = certificate(0, 1, 0, 1, 2);
    BatchCertificate b = certificate(0, 2, 0, 1, 2);
    BatchCertificate c = certificate(0, 3, 0, 1, 2);
    verifier.verify(a);
    verifier.verify(b);
    verifier.verify(c);
    assertThat(shared.size()).isEqualTo(2);
    assertThat(shared.contains(a.toBytes())).isFalse();
    assertThat(shared.contains(c.toBytes())).isTrue();
  }
}
