package dev.agentledger.node.net.tls;

import dev.agentledger.sig.Ed25519KeyPair;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A validator's TLS identity: a self-signed X.509 certificate (RFC 5280) whose subject public key
 * is the validator's Ed25519 committee key (RFC 8410), built at start from the key file with
 * BouncyCastle's certificate builder and signed through the JDK's EdDSA provider. The certificate
 * carries no authority: peers trust it only because its key is a committee member ({@link
 * CommitteeTrustManager}). Its subject names the chain, so nodes configured for different chains
 * refuse each other. It is a pure function of (key, chain id): Ed25519 signatures are
 * deterministic, the serial is derived from the key and the validity is fixed (RFC 5280 section
 * 4.1.2.5's "no well-defined expiration", 99991231235959Z).
 */
public final class ValidatorCertificate {
  /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 section 4); the key follows. */
  private static final byte[] SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  /** The DER prefix of an Ed25519 PKCS#8 private key (RFC 8410 section 7); the seed follows. */
  private static final byte[] PKCS8_PREFIX = {
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20
  };

  private static final Date NOT_BEFORE = new Date(0L);
  private static final Date NOT_AFTER = new Date(253402300799000L); // 9999-12-31T23:59:59Z

  private ValidatorCertificate() {}

  /** The subject (and issuer) name of every validator certificate of chain {@code chainId}. */
  public static X500Principal subject(int chainId) {
    return new X500Principal(
        "CN=agentledger validator, OU=chain " + Integer.toUnsignedString(chainId));
  }

  /** The validator's seed as a JDK Ed25519 private key. */
  public static PrivateKey privateKey(Ed25519KeyPair key) {
    byte[] seed = key.seed();
    byte[] encoded = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + 32);
    System.arraycopy(seed, 0, encoded, PKCS8_PREFIX.length, 32);
    Arrays.fill(seed, (byte) 0);
    try {
      return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(encoded));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot load an Ed25519 private key", e);
    } finally {
      Arrays.fill(encoded, (byte) 0);
    }
  }

  /** A raw 32-byte Ed25519 public key as a JDK public key. */
  public static PublicKey publicKey(byte[] rawKey) {
    if (rawKey.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + rawKey.length);
    }
    byte[] encoded = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + 32);
    System.arraycopy(rawKey, 0, encoded, SPKI_PREFIX.length, 32);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot load an Ed25519 public key", e);
    }
  }

  /** The self-signed certificate of {@code key} for chain {@code chainId}. */
  public static X509Certificate create(Ed25519KeyPair key, int chainId) {
    return create(key.publicKey(), privateKey(key), chainId);
  }

  /**
   * A certificate for subject key {@code rawPublicKey} signed by {@code signer}; self-signed when
   * the two belong together (tests use a mismatched pair to play an impostor).
   */
  static X509Certificate create(byte[] rawPublicKey, PrivateKey signer, int chainId) {
    X500Principal name = subject(chainId);
    BigInteger serial = new BigInteger(1, Arrays.copyOf(rawPublicKey, 16));
    try {
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name, serial, NOT_BEFORE, NOT_AFTER, name, publicKey(rawPublicKey));
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("Ed25519").build(signer)));
    } catch (OperatorCreationException | CertificateException e) {
      throw new IllegalStateException("cannot build the validator certificate", e);
    }
  }

  /**
   * The raw Ed25519 key of a certificate's subject.
   *
   * @throws CertificateException when the subject key is not Ed25519
   */
  public static byte[] ed25519Key(X509Certificate certificate) throws CertificateException {
    byte[] encoded = certificate.getPublicKey().getEncoded();
    if (encoded == null
        || encoded.length != SPKI_PREFIX.length + 32
        || !Arrays.equals(encoded, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new CertificateException("the certificate key is not an Ed25519 key");
    }
    return Arrays.copyOfRange(encoded, SPKI_PREFIX.length, encoded.length);
  }
}
