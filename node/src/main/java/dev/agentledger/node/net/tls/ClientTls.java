package dev.agentledger.node.net.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client side of TLS 1.3 to a client-facing port. {@link #trusting} trusts only the
 * certificates of one CA file and checks that the server's certificate names the host dialed (DNS
 * name or IP address in its subjectAltName, RFC 6125 rules of the JDK's {@code HTTPS} endpoint
 * identification). {@link #pinned} trusts exactly one certificate whatever its names. Thread-safe.
 */
public final class ClientTls {
  private static final String[] PROTOCOLS = {ServerTls.PROTOCOL};

  private final SSLContext context;
  private final boolean verifyHost;

  private ClientTls(SSLContext context, boolean verifyHost) {
    this.context = context;
    this.verifyHost = verifyHost;
  }

  /**
   * Trusts the CA certificate(s) of a PEM file, and only those.
   *
   * @throws IllegalArgumentException naming the file when it is missing or not PEM certificates
   */
  public static ClientTls trusting(Path caFile) {
    return new ClientTls(context(ServerTls.Pem.certificates(caFile)), true);
  }

  static ClientTls pinned(X509Certificate certificate) {
    return new ClientTls(context(List.of(certificate)), false);
  }

  private static SSLContext context(List<X509Certificate> anchors) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < anchors.size(); i++) {
        store.setCertificateEntry("ca-" + i, anchors.get(i));
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
      trust.init(store);
      SSLContext context = SSLContext.getInstance(ServerTls.PROTOCOL);
      context.init(null, trust.getTrustManagers(), new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("the JDK has no usable " + ServerTls.PROTOCOL, e);
    }
  }

  /**
   * Runs the handshake over a connected socket to {@code host}; the returned socket replaces it.
   *
   * @throws IOException when the handshake fails (untrusted certificate, wrong host, not TLS)
   */
  public SSLSocket handshake(Socket socket, String host, int port) throws IOException {
    SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
    ssl.setUseClientMode(true);
    ssl.setSSLParameters(parameters(ssl.getSSLParameters()));
    ssl.startHandshake();
    return ssl;
  }

  /**
   * The context, for clients that take one (such as {@code java.net.http.HttpClient}, which checks
   * the host name itself).
   */
  public SSLContext context() {
    return context;
  }

  /** A client-mode engine for a connection to {@code host}. */
  public SSLEngine engine(String host, int port) {
    SSLEngine engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    engine.setSSLParameters(parameters(engine.getSSLParameters()));
    return engine;
  }

  private SSLParameters parameters(SSLParameters parameters) {
    parameters.setProtocols(PROTOCOLS);
    parameters.setEndpointIdentificationAlgorithm(verifyHost ? "HTTPS" : null);
    return parameters;
  }
}
