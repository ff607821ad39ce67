package dev.agentledger.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.net.tls.ClientTls;
import dev.agentledger.node.net.tls.LabCa;
import dev.agentledger.node.net.tls.ServerTls;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway otlp --tls-cert --tls-key}: the OTLP receiver over HTTPS on a real socket. The
 * requests here are answered by the receiver itself (415 for a content type OTLP does not define),
 * so no validator is needed behind it.
 */
class OtlpGatewayTlsTest {
  @TempDir Path dir;

  private OtlpGateway gateway;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void servesOtlpOverHttpsToAClientTrustingTheCaOnly() throws Exception {
    LabCa ca = LabCa.create("gateway CA");
    Path cert = dir.resolve("gw.pem");
    Path key = dir.resolve("gw.key");
    ca.issue(List.of("127.0.0.1")).write(cert, key);
    ca.writeCertificate(dir.resolve("ca.pem"));
    LabCa.create("other CA").writeCertificate(dir.resolve("other.pem"));
    gateway =
        new OtlpGateway(
                new SpanIngest(
                    1,
                    FeeSchedule.defaults(),
                    new AgentKeystore(dir),
                    new LedgerAccounts(List.of("127.0.0.1:1")),
                    new RunSink(List.of(InetSocketAddress.createUnresolved("127.0.0.1", 1)))))
            .tls(ServerTls.load(cert, key));
    int port = gateway.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
    HttpRequest export =
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v1/traces"))
            .header("content-type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("not otlp"))
            .build();

    try (HttpClient trusting =
        HttpClient.newBuilder()
            .sslContext(ClientTls.trusting(dir.resolve("ca.pem")).context())
            .build()) {
      assertThat(trusting.send(export, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(415);
    }
    try (HttpClient other =
        HttpClient.newBuilder()
            .sslContext(ClientTls.trusting(dir.resolve("other.pem")).context())
            .build()) {
      assertThatThrownBy(() -> other.send(export, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);
    }
    try (Socket plain = new Socket("127.0.0.1", port)) {
      plain.setSoTimeout(10_000);
      plain
          .getOutputStream()
          .write(
              "POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      boolean closed;
      try {
        while (plain.getInputStream().read() >= 0) {
          // a TLS alert may come first
        }
        closed = true;
      } catch (SocketTimeoutException e) {
        closed = false;
      } catch (java.io.IOException e) {
        closed = true;
      }
      assertThat(closed).isTrue();
    }
  }
}
