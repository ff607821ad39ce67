package dev.agentledger.node.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.execution.LedgerFixture;
import dev.agentledger.node.ingress.IngressConfig;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.worker.core.WorkerConfig;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The per-address transaction rate on real sockets: connections from one remote address share one
 * token bucket, another address has its own (127.0.0.1 and 127.0.0.2 are both loopback on Linux).
 */
class PerAddressRateLimitTest {
  private static long nextNonce;

  @Test
  void connectionsFromOneAddressShareItsBucket() throws Exception {
    int[] peer = TestKeys.freePorts(1);
    int[] client = TestKeys.freePorts(1);
    ValidatorNode.Config config =
        new ValidatorNode.Config(
            TestKeys.committee(1, peer, client),
            0,
            TestKeys.key(0),
            new IngressConfig(LedgerFixture.CHAIN, 0, 0, Long.MAX_VALUE / 4, 0),
            null,
            new NettyTransport.Config(
                "127.0.0.1", peer[0], "127.0.0.1", client[0], IoKind.detect(), 1, 32 << 20),
            // 1 per second per address, burst 4; no agent or connection limit.
            new MempoolConfig(20_000, 1 << 12, 1 << 20, 1 << 14, 0, 0, 1024, 0, 0, 64, 1, 4),
            WorkerConfig.defaults(),
            16 << 20);
    try (dev.agentledger.node.runtime.Validator validator =
        dev.agentledger.node.runtime.Validator.launch(
            dev.agentledger.node.runtime.ValidatorContext.forNode(config, null, null)
                .inlineVerifier(new dev.agentledger.node.ingress.SingleEd25519Verifier()))) {
      ValidatorNode node = validator.node();
      int port = node.transport().clientAddress().getPort();
      try (Socket a = connect("127.0.0.1", port);
          Socket b = connect("127.0.0.1", port);
          Socket c = connect("127.0.0.2", port)) {
        assertThat(submit(a, 3)).containsOnly(TxStatus.ACCEPTED);
        // The burst is 4 per address: one more on another connection, then RATE_LIMITED.
        assertThat(submit(b, 3))
            .containsExactly(TxStatus.ACCEPTED, TxStatus.RATE_LIMITED, TxStatus.RATE_LIMITED);
        assertThat(submit(c, 4)).containsOnly(TxStatus.ACCEPTED);
      }
    }
  }

  private static Socket connect(String from, int port) throws Exception {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
    s.setSoTimeout(30_000);
    return s;
  }

  /** Sends one SUBMIT of {@code count} runs of a fresh nonce sequence; returns the statuses. */
  private static List<TxStatus> submit(Socket socket, int count) throws Exception {
    UnsafeBuffer frame = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME + 4]);
    int length = Wire.submitHeader(frame, 4, 1, count);
    byte[] key = new byte[32];
    for (int i = 0; i < count; i++) {
      frame.putBytes(
          4 + Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + i * AgentRunDescriptor.ENCODED_LENGTH,
          LedgerFixture.run(0).sign(LedgerFixture.key(100 + (int) nextNonce++)));
    }
    frame.putInt(0, length, ByteOrder.LITTLE_ENDIAN);
    OutputStream out = socket.getOutputStream();
    out.write(frame.byteArray(), 0, 4 + length);
    out.flush();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] prefix = new byte[4];
    in.readFully(prefix);
    int replyLength = new UnsafeBuffer(prefix).getInt(0, ByteOrder.LITTLE_ENDIAN);
    byte[] reply = new byte[replyLength];
    in.readFully(reply);
    List<TxStatus> statuses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      statuses.add(TxStatus.fromCode(reply[Wire.HEADER_LENGTH + Wire.RESULT_CODES + i] & 0xFF));
    }
    return statuses;
  }
}
