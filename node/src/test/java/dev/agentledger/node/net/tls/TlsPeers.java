package dev.agentledger.node.net.tls;

import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Hand-driven TLS peers for tests (plain JDK sockets, no Netty): an identity is any (secret,
 * certificate) pair, including ones no honest validator would present, and the peer trusts any
 * server so that the node's own refusal is what a test observes.
 */
public final class TlsPeers {
  private TlsPeers() {}

  /** The honest identity of {@code key} on chain {@code chainId}. */
  public static Identity identity(Ed25519KeyPair key, int chainId) {
    PrivateKey secret = ValidatorCertificate.privateKey(key);
    return new Identity(secret, ValidatorCertificate.create(key.publicKey(), secret, chainId));
  }

  /** A certificate naming {@code claimedKey} while the secret is {@code actual}'s. */
  public static Identity impostor(byte[] claimedKey, Ed25519KeyPair actual, int chainId) {
    PrivateKey secret = ValidatorCertificate.privateKey(actual);
    return new Identity(secret, ValidatorCertificate.create(claimedKey, secret, chainId));
  }

  public record Identity(PrivateKey secret, X509Certificate certificate) {
    SSLContext context() {
      try {
        SSLContext context = SSLContext.getInstance(LinkTls.PROTOCOL);
        context.init(
            new KeyManager[] {new ValidatorKeyManager(secret, certificate)},
            new TrustManager[] {new TrustAnything()},
            null);
        return context;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    private static SSLParameters parameters(SSLParameters parameters) {
      parameters.setProtocols(new String[] {LinkTls.PROTOCOL});
      parameters.setSignatureSchemes(new String[] {"ed25519"});
      return parameters;
    }

    /** A connected client socket; the handshake runs on first use. */
    public SSLSocket connect(int port) throws IOException {
      SSLSocket socket = (SSLSocket) context().getSocketFactory().createSocket();
      socket.setReceiveBufferSize(4096);
      socket.setSoTimeout(30_000);
      socket.setSSLParameters(parameters(socket.getSSLParameters()));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return socket;
    }

    /** A listening server socket that asks for a client certificate. */
    public SSLServerSocket listen() throws IOException {
      SSLServerSocket server =
          (SSLServerSocket)
              context()
                  .getServerSocketFactory()
                  .createServerSocket(0, 4, InetAddress.getLoopbackAddress());
      SSLParameters parameters = parameters(server.getSSLParameters());
      parameters.setNeedClientAuth(true);
      server.setSSLParameters(parameters);
      server.setSoTimeout(30_000);
      return server;
    }
  }

  private static final class TrustAnything extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(
        X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {}

    @Override
    public void checkServerTrusted(
        X509Certificate[] chain, String authType, javax.net.ssl.SSLEngine engine) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
