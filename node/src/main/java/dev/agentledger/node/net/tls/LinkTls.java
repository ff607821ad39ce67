package dev.agentledger.node.net.tls;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.sig.Ed25519KeyPair;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;

/**
 * The TLS side of one validator's links: JDK (SunJSSE) engines for mutual TLS 1.3 (RFC 8446) with
 * the validator's {@link ValidatorCertificate} on both sides, peers pinned to the committee by
 * {@link CommitteeTrustManager}, the ed25519 signature scheme only, and x25519 (or P-256) ephemeral
 * key exchange. The accepting side requires a client certificate. Each dial gets a fresh context
 * whose trust manager accepts only the dialed validator, and a fresh context holds no session to
 * resume, so every link runs a full handshake with certificates. Thread-safe.
 */
public final class LinkTls {
  public static final String PROTOCOL = "TLSv1.3";
  private static final String[] PROTOCOLS = {PROTOCOL};
  private static final String[] SIGNATURE_SCHEMES = {"ed25519"};
  private static final String[] NAMED_GROUPS = {"x25519", "secp256r1"};

  private final Committee committee;
  private final int self;
  private final int chainId;
  private final ValidatorKeyManager keyManager;
  private final SecureRandom random = new SecureRandom();
  private final SSLContext acceptor;

  /**
   * @throws IllegalArgumentException when {@code key} is not the committee key of {@code self}
   */
  public LinkTls(Committee committee, int self, int chainId, Ed25519KeyPair key) {
    if (!committee.isMember(self) || !Arrays.equals(committee.publicKey(self), key.publicKey())) {
      throw new IllegalArgumentException(
          "the validator key is not the committee key of validator " + self);
    }
    this.committee = committee;
    this.self = self;
    this.chainId = chainId;
    PrivateKey privateKey = ValidatorCertificate.privateKey(key);
    X509Certificate certificate = ValidatorCertificate.create(key.publicKey(), privateKey, chainId);
    this.keyManager = new ValidatorKeyManager(privateKey, certificate);
    this.acceptor = context(-1);
  }

  private SSLContext context(int expectedPeer) {
    try {
      SSLContext context = SSLContext.getInstance(PROTOCOL);
      context.init(
          new KeyManager[] {keyManager},
          new TrustManager[] {new CommitteeTrustManager(committee, self, chainId, expectedPeer)},
          random);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no usable " + PROTOCOL, e);
    }
  }

  /** A server-mode engine for a connection this validator accepted; any other member may pass. */
  public SSLEngine acceptorEngine() {
    return configure(acceptor.createSSLEngine(), false);
  }

  /** A client-mode engine for a link this validator dials to {@code peer}; only it may pass. */
  public SSLEngine dialerEngine(int peer) {
    return configure(context(peer).createSSLEngine(), true);
  }

  private static SSLEngine configure(SSLEngine engine, boolean client) {
    engine.setUseClientMode(client);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setProtocols(PROTOCOLS);
    parameters.setSignatureSchemes(SIGNATURE_SCHEMES);
    parameters.setNamedGroups(NAMED_GROUPS);
    parameters.setEndpointIdentificationAlgorithm(null);
    if (!client) {
      parameters.setNeedClientAuth(true);
    }
    engine.setSSLParameters(parameters);
    return engine;
  }

  /**
   * The committee index of the peer of a completed handshake: the validator whose key the peer's
   * verified certificate carries.
   *
   * @param expectedPeer the dialed validator, or -1 on the accepting side
   * @throws SSLPeerUnverifiedException when the session has no verified peer certificate
   * @throws CertificateException when the certificate does not identify an acceptable member
   */
  public int peerIndex(SSLSession session, int expectedPeer)
      throws SSLPeerUnverifiedException, CertificateException {
    return new CommitteeTrustManager(committee, self, chainId, expectedPeer)
        .peerIndex(session.getPeerCertificates());
  }
}
