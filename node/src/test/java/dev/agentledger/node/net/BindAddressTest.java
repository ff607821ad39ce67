package dev.agentledger.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

/** A listen host given by name binds the address the name resolves to, never the wildcard. */
class BindAddressTest {
  @Test
  void aHostNameBindsItsResolvedAddress() throws Exception {
    int[] ports = TestKeys.freePorts(2);
    InetAddress resolved = InetAddress.getByName("localhost");
    NettyTransport t =
        new NettyTransport(
            new NettyTransport.Config("localhost", 0, "localhost", 0, IoKind.detect(), 1, 1 << 20),
            TestKeys.committee(2, ports, ports),
            1,
            11,
            TestKeys.key(1),
            new TransportListener() {
              @Override
              public void onPeerFrame(int peer, DirectBuffer buffer, int offset, int length) {}

              @Override
              public void onClientFrame(
                  long connection, DirectBuffer buffer, int offset, int length) {}
            });
    try {
      t.start();
      for (InetSocketAddress bound : new InetSocketAddress[] {t.peerAddress(), t.clientAddress()}) {
        assertThat(bound.getAddress().isAnyLocalAddress()).as("%s", bound).isFalse();
        assertThat(bound.getAddress()).isEqualTo(resolved);
      }
    } finally {
      t.close();
    }
  }
}
