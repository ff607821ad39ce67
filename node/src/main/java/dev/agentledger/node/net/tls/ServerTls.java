package dev.agentledger.node.net.tls;

import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Server-side TLS 1.3 (RFC 8446) of a client-facing port (client port, HTTP port, OTLP gateway): a
 * certificate chain and its private key, both PEM files, served by the JDK (SunJSSE) engine. No
 * client certificate is asked for. The key must belong to the first certificate of the chain; both
 * files are checked when loaded, so a wrong or unreadable file is reported before any port opens.
 * Thread-safe.
 */
public final class ServerTls {
  public static final String PROTOCOL = "TLSv1.3";
  private static final String[] PROTOCOLS = {PROTOCOL};

  /** The handshake of a TLS port must complete within this many milliseconds. */
  public static final long HANDSHAKE_TIMEOUT_MS = 10_000;

  private final SSLContext context;
  private final X509Certificate certificate;

  private ServerTls(SSLContext context, X509Certificate certificate) {
    this.context = context;
    this.certificate = certificate;
  }

  /**
   * Loads a PEM certificate chain (leaf first) and its PEM private key (PKCS#8 {@code PRIVATE KEY},
   * or {@code EC PRIVATE KEY}).
   *
   * @throws IllegalArgumentException naming the file, when a file is missing, unreadable, not PEM
   *     of the expected kind, or the key does not belong to the certificate
   */
  public static ServerTls load(Path certFile, Path keyFile) {
    List<X509Certificate> chain = Pem.certificates(certFile);
    PrivateKey key = Pem.privateKey(keyFile);
    if (!matches(key, chain.getFirst())) {
      throw new IllegalArgumentException(
          "TLS key " + keyFile + " does not belong to the certificate in " + certFile);
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("server", key, password, chain.toArray(new Certificate[0]));
      KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance(PROTOCOL);
      context.init(keys.getKeyManagers(), null, new SecureRandom());
      return new ServerTls(context, chain.getFirst());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "TLS certificate " + certFile + " and key " + keyFile + " are not usable: " + e, e);
    }
  }

  private static boolean matches(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> null;
        };
    if (algorithm == null) {
      return false;
    }
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The leaf certificate this port presents. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** A server-mode engine for one accepted connection (TLS 1.3 only, no client certificate). */
  public SSLEngine engine() {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setProtocols(PROTOCOLS);
    engine.setSSLParameters(parameters);
    return engine;
  }

  /** A Netty handler for one accepted connection: the first handler of its pipeline. */
  public SslHandler handler() {
    SslHandler handler = new SslHandler(engine());
    handler.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MS);
    return handler;
  }

  /**
   * A client side that trusts exactly this port's certificate, whatever name it is reached by: how
   * a node's own HTTP API reaches its own client port over loopback.
   */
  public ClientTls pinnedClient() {
    return ClientTls.pinned(certificate);
  }

  /** Reading PEM files. */
  static final class Pem {
    private Pem() {}

    static List<X509Certificate> certificates(Path file) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("TLS certificate file " + file + " does not exist");
      }
      try (InputStream in = Files.newInputStream(file)) {
        List<X509Certificate> certificates =
            CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                .map(X509Certificate.class::cast)
                .toList();
        if (certificates.isEmpty()) {
          throw new IllegalArgumentException(
              "TLS certificate file " + file + " holds no PEM certificate");
        }
        return certificates;
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "TLS certificate file " + file + " is not a PEM certificate: " + e.getMessage(), e);
      }
    }

    static PrivateKey privateKey(Path file) {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("TLS key file " + file + " does not exist");
      }
      try (Reader reader = Files.newBufferedReader(file);
          PEMParser parser = new PEMParser(reader)) {
        Object object = parser.readObject();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (object instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (object instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
        throw new IllegalArgumentException(
            "TLS key file "
                + file
                + " holds no unencrypted PEM private key (PRIVATE KEY or EC PRIVATE KEY)");
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "TLS key file " + file + " is not a PEM private key: " + e.getMessage(), e);
      }
    }
  }
}
