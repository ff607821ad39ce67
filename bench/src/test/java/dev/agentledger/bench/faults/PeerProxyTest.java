package dev.agentledger.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The proxy over real loopback sockets: it relays, records, cuts and heals. */
class PeerProxyTest {
  @Test
  void relaysRecordsCutsAndHeals() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread server =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (!echo.isClosed()) {
                      try {
                        Socket s = echo.accept();
                        Thread.ofPlatform().daemon().start(() -> echoLoop(s));
                      } catch (IOException e) {
                        return;
                      }
                    }
                  });
      int listen;
      try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        listen = free.getLocalPort();
      }
      try (PeerProxy proxy = new PeerProxy("t", listen, echo.getLocalPort())) {
        Socket first = connect(listen);
        assertThat(roundTrip(first, "hello")).isEqualTo("hello");
        assertThat(new String(proxy.recordedDialerBytes(), StandardCharsets.US_ASCII))
            .isEqualTo("hello");
        assertThat(proxy.acceptedConnections()).isEqualTo(1);

        proxy.cut();
        first.setSoTimeout(5_000);
        assertThat(readOrClosed(first.getInputStream())).isEqualTo(-1);
        Socket refused = connect(listen);
        refused.setSoTimeout(5_000);
        assertThat(readOrClosed(refused.getInputStream())).isEqualTo(-1);
        assertThat(proxy.acceptedConnections()).isEqualTo(1);

        proxy.heal();
        Socket again = connect(listen);
        assertThat(roundTrip(again, "again")).isEqualTo("again");
        assertThat(proxy.acceptedConnections()).isEqualTo(2);
        // only the first connection is recorded
        assertThat(new String(proxy.recordedDialerBytes(), StandardCharsets.US_ASCII))
            .isEqualTo("hello");
        again.close();
        first.close();
        refused.close();
      }
      echo.close();
      server.join(2_000);
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
    return s;
  }

  private static String roundTrip(Socket s, String text) throws IOException {
    s.setSoTimeout(5_000);
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    byte[] back = s.getInputStream().readNBytes(text.length());
    return new String(back, StandardCharsets.US_ASCII);
  }

  private static int readOrClosed(InputStream in) {
    try {
      return in.read();
    } catch (IOException e) {
      return -1;
    }
  }

  private static void echoLoop(Socket s) {
    try (s) {
      s.getInputStream().transferTo(s.getOutputStream());
    } catch (IOException e) {
      // closed
    }
  }
}
