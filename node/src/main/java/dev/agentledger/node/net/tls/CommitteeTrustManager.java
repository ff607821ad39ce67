package dev.agentledger.node.net.tls;

import dev.agentledger.node.committee.Committee;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly the committee: a peer's certificate is accepted only if it is a single self-signed
 * {@link ValidatorCertificate} of this chain whose Ed25519 key is a committee member other than
 * this validator, and, on a link this validator dialed, the key of the validator it dialed. There
 * is no certificate authority, no name check and no validity period: identity is the key, pinned by
 * the committee (the "pinned public key" model of RFC 7250 carried in an X.509 wrapper, since the
 * JDK does not speak raw public keys). Proof that the peer holds the key's secret is TLS 1.3's
 * CertificateVerify over the handshake transcript (RFC 8446 section 4.4.3), which the JDK checks
 * after this trust decision. Stateless and thread-safe.
 */
public final class CommitteeTrustManager extends X509ExtendedTrustManager {
  private final Committee committee;
  private final int self;
  private final int chainId;
  private final int expectedPeer;

  /**
   * @param expectedPeer the validator this side dialed, or -1 on the accepting side (any other
   *     member)
   */
  public CommitteeTrustManager(Committee committee, int self, int chainId, int expectedPeer) {
    this.committee = committee;
    this.self = self;
    this.chainId = chainId;
    this.expectedPeer = expectedPeer;
  }

  /**
   * The committee index of the validator that {@code chain} identifies.
   *
   * @throws CertificateException naming why the chain is refused
   */
  public int peerIndex(Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length != 1 || !(chain[0] instanceof X509Certificate cert)) {
      throw new CertificateException("expected exactly one X.509 validator certificate");
    }
    if (!cert.getSubjectX500Principal().equals(ValidatorCertificate.subject(chainId))
        || !cert.getIssuerX500Principal().equals(ValidatorCertificate.subject(chainId))) {
      throw new CertificateException(
          "not a validator certificate of chain "
              + Integer.toUnsignedString(chainId)
              + ": "
              + cert.getSubjectX500Principal());
    }
    byte[] key = ValidatorCertificate.ed25519Key(cert);
    int index = committee.indexOf(key, 0);
    if (index < 0) {
      throw new CertificateException("the certificate key is not in the committee");
    }
    if (index == self || Arrays.equals(key, committee.publicKey(self))) {
      throw new CertificateException("the peer presents this validator's own key");
    }
    if (expectedPeer >= 0 && index != expectedPeer) {
      throw new CertificateException(
          "dialed validator " + expectedPeer + " but the key belongs to validator " + index);
    }
    try {
      cert.verify(cert.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertificateException("the certificate is not self-signed by its key", e);
    }
    return index;
  }

  private void check(X509Certificate[] chain) throws CertificateException {
    peerIndex(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
