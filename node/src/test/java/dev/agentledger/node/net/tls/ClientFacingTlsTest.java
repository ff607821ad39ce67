package dev.agentledger.node.net.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.node.execution.LedgerHarness;
import dev.agentledger.node.net.ConnectionLimits;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.node.net.TransportListener;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.query.QueryApi;
import dev.agentledger.node.query.http.QueryHttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.3 on the client-facing ports over real loopback sockets: certificates from a {@link LabCa}
 * written as PEM files and loaded back with {@link ServerTls#load}; the client port of a real
 * {@link NettyTransport} and the HTTP port of a real {@link QueryHttpServer}; JDK clients and, when
 * installed, curl.
 */
class ClientFacingTlsTest {
  @TempDir Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();
  private final BlockingQueue<Long> frames = new LinkedBlockingQueue<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  private Path[] issue(LabCa ca, String prefix, String... names) throws IOException {
    Path cert = dir.resolve(prefix + ".pem");
    Path key = dir.resolve(prefix + ".key");
    ca.issue(List.of(names)).write(cert, key);
    return new Path[] {cert, key};
  }

  private Path caFile(LabCa ca, String name) throws IOException {
    Path file = dir.resolve(name);
    ca.writeCertificate(file);
    return file;
  }

  private int startClientPort(ServerTls tls) {
    int[] peerPorts = TestKeys.freePorts(2);
    int[] clientPorts = TestKeys.freePorts(2);
    NettyTransport transport =
        new NettyTransport(
            new NettyTransport.Config(
                    "127.0.0.1",
                    peerPorts[0],
                    "127.0.0.1",
                    clientPorts[0],
                    IoKind.detect(),
                    1,
                    1 << 20,
                    ConnectionLimits.Settings.clientDefaults(),
                    null)
                .withClientTls(tls),
            TestKeys.committee(2, peerPorts, clientPorts),
            0,
            11,
            TestKeys.key(0),
            new TransportListener() {
              @Override
              public void onPeerFrame(int peer, DirectBuffer buffer, int offset, int length) {}

              @Override
              public void onClientFrame(
                  long connection, DirectBuffer buffer, int offset, int length) {
                frames.add(connection);
              }
            });
    open.add(transport);
    transport.start();
    return transport.clientAddress().getPort();
  }

  private Socket connect(int port) throws IOException {
    Socket s = new Socket();
    open.add(s);
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout(10_000);
    return s;
  }

  private static void sendStatusRequest(Socket s) throws IOException {
    UnsafeBuffer frame = new UnsafeBuffer(new byte[4 + 16]);
    int length = Wire.statusRequest(frame, 4, 1);
    frame.putInt(0, length, ByteOrder.LITTLE_ENDIAN);
    s.getOutputStream().write(frame.byteArray(), 0, 4 + length);
    s.getOutputStream().flush();
  }

  private static boolean closedByPeer(Socket s) throws IOException {
    try {
      while (s.getInputStream().read() >= 0) {
        // a TLS alert may come first
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  @Test
  void aClientTrustingTheCaGetsThroughToTheClientPort() throws Exception {
    LabCa ca = LabCa.create("test CA, with a comma");
    Path[] server = issue(ca, "node", "127.0.0.1", "localhost");
    int port = startClientPort(ServerTls.load(server[0], server[1]));

    Socket tls =
        ClientTls.trusting(caFile(ca, "ca.pem")).handshake(connect(port), "127.0.0.1", port);
    open.add(tls);
    assertThat(((javax.net.ssl.SSLSocket) tls).getSession().getProtocol()).isEqualTo("TLSv1.3");
    sendStatusRequest(tls);
    assertThat(frames.poll(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void aPlaintextClientOnTheTlsClientPortIsClosedWithoutAFrameDelivered() throws Exception {
    LabCa ca = LabCa.create("test CA");
    Path[] server = issue(ca, "node", "127.0.0.1");
    int port = startClientPort(ServerTls.load(server[0], server[1]));

    Socket plain = connect(port);
    sendStatusRequest(plain);
    assertThat(closedByPeer(plain)).isTrue();
    assertThat(frames).isEmpty();
  }

  @Test
  void aClientTrustingAnotherCaIsRefused() throws Exception {
    LabCa ca = LabCa.create("test CA");
    Path[] server = issue(ca, "node", "127.0.0.1");
    int port = startClientPort(ServerTls.load(server[0], server[1]));
    ClientTls other = ClientTls.trusting(caFile(LabCa.create("other CA"), "other.pem"));

    assertThatThrownBy(() -> other.handshake(connect(port), "127.0.0.1", port))
        .isInstanceOf(SSLHandshakeException.class);
    assertThat(frames).isEmpty();
  }

  @Test
  void aCertificateThatDoesNotNameTheDialedHostIsRefused() throws Exception {
    LabCa ca = LabCa.create("test CA");
    Path[] server = issue(ca, "node", "10.9.9.9", "validator-9.example");
    int port = startClientPort(ServerTls.load(server[0], server[1]));
    ClientTls client = ClientTls.trusting(caFile(ca, "ca.pem"));

    assertThatThrownBy(() -> client.handshake(connect(port), "127.0.0.1", port))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("127.0.0.1");
  }

  @Test
  void thePinnedClientReachesTheNodesOwnPortWhateverItsNames() throws Exception {
    LabCa ca = LabCa.create("test CA");
    Path[] server = issue(ca, "node", "10.9.9.9");
    ServerTls tls = ServerTls.load(server[0], server[1]);
    int port = startClientPort(tls);

    Socket pinned = tls.pinnedClient().handshake(connect(port), "127.0.0.1", port);
    open.add(pinned);
    sendStatusRequest(pinned);
    assertThat(frames.poll(10, TimeUnit.SECONDS)).isNotNull();
  }

  private int startHttps(ServerTls tls) throws Exception {
    LedgerHarness ledger = new LedgerHarness();
    QueryHttpServer server =
        new QueryHttpServer(
                new QueryApi(ledger.proofs, LedgerHarness.COMMITTEE, ledger.events, ledger.metrics))
            .tls(tls);
    open.add(server);
    return server.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
  }

  @Test
  void theHttpPortServesHttpsToAClientTrustingTheCaAndRefusesOthers() throws Exception {
    LabCa ca = LabCa.create("test CA");
    Path[] server = issue(ca, "node", "127.0.0.1");
    int port = startHttps(ServerTls.load(server[0], server[1]));
    URI status = URI.create("https://127.0.0.1:" + port + "/metrics");

    try (HttpClient trusting =
        HttpClient.newBuilder()
            .sslContext(ClientTls.trusting(caFile(ca, "ca.pem")).context())
            .build()) {
      HttpResponse<String> answer =
          trusting.send(
              HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
    }
    try (HttpClient other =
        HttpClient.newBuilder()
            .sslContext(ClientTls.trusting(caFile(LabCa.create("other CA"), "other.pem")).context())
            .build()) {
      assertThatThrownBy(
              () ->
                  other.send(
                      HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);
    }
    Socket plain = connect(port);
    plain
        .getOutputStream()
        .write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(closedByPeer(plain)).isTrue();
  }

  @Test
  void curlWithTheCaFileGetsThroughAndWithoutItIsRefused() throws Exception {
    assumeTrue(onPath("curl"), "curl is not installed: the curl check is skipped");
    LabCa ca = LabCa.create("test CA");
    Path[] server = issue(ca, "node", "127.0.0.1");
    int port = startHttps(ServerTls.load(server[0], server[1]));
    String url = "https://127.0.0.1:" + port + "/metrics";

    Result trusted = curl("--cacert", caFile(ca, "ca.pem").toString(), url);
    assertThat(trusted.exit()).isZero();
    assertThat(trusted.out()).startsWith("200");
    // curl's default trust store does not hold the lab CA: exit 60, peer certificate not trusted
    assertThat(curl(url).exit()).isEqualTo(60);
    assertThat(curl("--cacert", caFile(LabCa.create("other"), "o.pem").toString(), url).exit())
        .isEqualTo(60);
  }

  @Test
  void pythonSslWithTheCaFileGetsThroughAndWithoutItIsRefused() throws Exception {
    assumeTrue(onPath("python3"), "python3 is not installed: the Python ssl check is skipped");
    LabCa ca = LabCa.create("test CA");
    Path[] server = issue(ca, "node", "127.0.0.1", "localhost");
    int port = startHttps(ServerTls.load(server[0], server[1]));
    String script =
        "import ssl, sys, urllib.request\n"
            + "ctx = ssl.create_default_context(cafile=sys.argv[1])\n"
            + "try:\n"
            + "    print(urllib.request.urlopen(sys.argv[2], context=ctx, timeout=20).status)\n"
            + "except urllib.error.URLError as e:\n"
            + "    print('refused', type(e.reason).__name__)\n";
    String url = "https://localhost:" + port + "/metrics";
    assertThat(python(script, caFile(ca, "ca.pem").toString(), url)).isEqualTo("200");
    assertThat(python(script, caFile(LabCa.create("other"), "o.pem").toString(), url))
        .isEqualTo("refused SSLCertVerificationError");
  }

  private static String python(String script, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("python3", "-c", script));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return out;
  }

  private record Result(int exit, String out) {}

  private static Result curl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
    command.addAll(List.of("-o", "/dev/null", "-w", "%{http_code}"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  private static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void badFilesGetErrorsNamingTheFile() throws Exception {
    LabCa ca = LabCa.create("test CA");
    Path[] a = issue(ca, "a", "127.0.0.1");
    Path[] b = issue(ca, "b", "127.0.0.1");
    Path missing = dir.resolve("missing.pem");
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");

    assertThatThrownBy(() -> ServerTls.load(missing, a[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> ServerTls.load(garbage, a[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(garbage.toString());
    assertThatThrownBy(() -> ServerTls.load(a[0], garbage))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds no unencrypted PEM private key");
    assertThatThrownBy(() -> ServerTls.load(a[0], b[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not belong to the certificate");
    assertThatThrownBy(() -> ClientTls.trusting(garbage))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(garbage.toString());
  }

  @Test
  void keyFilesAreWrittenOwnerOnly() throws Exception {
    Path[] files = issue(LabCa.create("test CA"), "node", "127.0.0.1");
    assertThat(Files.getPosixFilePermissions(files[1]))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(files[0]))
        .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
  }
}
