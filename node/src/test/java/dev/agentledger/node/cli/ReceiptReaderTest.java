package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A receipt whose commit is executed but not yet certified is answered 503 by the query API; the
 * reader asks again until the certificate is there, and reports any other answer at once.
 */
class ReceiptReaderTest {
  private static final String RECEIPT =
      "{\"commit\": 7, \"receipt\": {\"code\": \"OK\", \"fee\": 1160}}";

  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile int notCertifiedAnswers;
  private volatile int otherStatus;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/transactions/",
        exchange -> {
          int n = requests.incrementAndGet();
          int status = otherStatus != 0 ? otherStatus : n <= notCertifiedAnswers ? 503 : 200;
          byte[] body =
              (status == 200 ? RECEIPT : "{\"error\": \"commit 7 is not certified yet\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private ReceiptReader reader() {
    return new ReceiptReader("127.0.0.1", server.getAddress().getPort());
  }

  private static long inSeconds(long s) {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(s);
  }

  @Test
  void aReceiptNotCertifiedYetIsReadAgainUntilItIs() throws Exception {
    notCertifiedAnswers = 3;
    ReceiptReader.Receipt receipt = reader().read(new byte[32], inSeconds(30));
    assertThat(receipt).isEqualTo(new ReceiptReader.Receipt("OK", 1160, 7));
    assertThat(requests.get()).isEqualTo(4);
  }

  @Test
  void withoutADeadlineA503IsReportedAsNotCertifiedYet() {
    notCertifiedAnswers = 1;
    assertThatThrownBy(() -> reader().read(new byte[32]))
        .isInstanceOf(ReceiptReader.NotCertifiedYet.class)
        .hasMessageContaining("answered 503")
        .hasMessageContaining("not certified yet");
  }

  @Test
  void aDeadlineThatHasPassedEndsTheRetries() {
    notCertifiedAnswers = Integer.MAX_VALUE;
    assertThatThrownBy(() -> reader().read(new byte[32], System.nanoTime()))
        .isInstanceOf(ReceiptReader.NotCertifiedYet.class);
    assertThat(requests.get()).isEqualTo(1);
  }

  @Test
  void anyOtherErrorIsReportedAtOnce() {
    otherStatus = 404;
    assertThatThrownBy(() -> reader().read(new byte[32], inSeconds(30)))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(ReceiptReader.NotCertifiedYet.class)
        .hasMessageContaining("answered 404");
    assertThat(requests.get()).isEqualTo(1);
  }
}
