package dev.agentledger.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.client.ClusterSubmitter;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.tx.AgentRunDescriptor;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real sockets and the real client: a validator answers a SUBMIT on different paths (refused on the
 * I/O thread when its ring is full, or admitted by the worker and held until the ingress log is
 * synced), so a later SUBMIT's answer can be ready first. The connection still answers every SUBMIT
 * in the order it was sent, which is how {@code ClusterSubmitter} pairs answers with requests.
 */
class SubmitAnswerOrderTest {
  static final int CHAIN = 11;

  record Submit(long connection, long requestId, int count) {}

  /**
   * Plays a validator's two answer paths: SUBMITs whose request id is in {@code refuseInline} get
   * OVERLOADED at once on the I/O thread (the full-ring path); every other SUBMIT waits in {@code
   * deferred} for the test to answer it (the worker and ingress-log path).
   */
  static final class TwoPaths implements TransportListener {
    final List<Long> refuseInline;
    final BlockingQueue<Submit> deferred = new LinkedBlockingQueue<>();
    final BlockingQueue<Long> refused = new LinkedBlockingQueue<>();
    volatile NettyTransport transport;

    TwoPaths(List<Long> refuseInline) {
      this.refuseInline = refuseInline;
    }

    @Override
    public void onPeerFrame(int peer, DirectBuffer buffer, int offset, int length) {}

    @Override
    public void onClientFrame(long connection, DirectBuffer buffer, int offset, int length) {
      long requestId =
          buffer.getLong(offset + Wire.HEADER_LENGTH + Wire.REQUEST_ID, ByteOrder.LITTLE_ENDIAN);
      int count =
          Short.toUnsignedInt(
              buffer.getShort(offset + Wire.HEADER_LENGTH + Wire.COUNT16, ByteOrder.LITTLE_ENDIAN));
      if (refuseInline.contains(requestId)) {
        UnsafeBuffer out = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME]);
        int n =
            dev.agentledger.node.ingress.IngressProcessor.rejectAll(
                buffer, offset, TxStatus.OVERLOADED, out, 0);
        transport.sendToClient(connection, out, 0, n);
        refused.add(requestId);
      } else {
        deferred.add(new Submit(connection, requestId, count));
      }
    }

    void answer(Submit s, TxStatus status) {
      UnsafeBuffer out = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME]);
      int n = Wire.submitResultHeader(out, 0, s.requestId(), s.count());
      out.setMemory(Wire.HEADER_LENGTH + Wire.RESULT_CODES, s.count(), (byte) status.code());
      transport.sendToClient(s.connection(), out, 0, n);
    }
  }

  NettyTransport transport;

  @AfterEach
  void close() {
    if (transport != null) {
      transport.close();
    }
  }

  private int start(TwoPaths listener) {
    int[] peerPorts = TestKeys.freePorts(2);
    int[] clientPorts = TestKeys.freePorts(2);
    transport =
        new NettyTransport(
            new NettyTransport.Config(
                "127.0.0.1",
                peerPorts[0],
                "127.0.0.1",
                clientPorts[0],
                IoKind.detect(),
                1,
                8 << 20),
            TestKeys.committee(2, peerPorts, clientPorts),
            0,
            CHAIN,
            TestKeys.key(0),
            listener);
    listener.transport = transport;
    transport.start();
    return clientPorts[0];
  }

  private static List<byte[]> records(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new byte[AgentRunDescriptor.ENCODED_LENGTH]);
    }
    return out;
  }

  @Test
  void anAnswerReadyBeforeAnEarlierSubmitsWaitsForItsTurn() throws Exception {
    // Request ids start at 1 in AgentLedgerClient; 3 and 5 are refused at once, the rest later.
    TwoPaths listener = new TwoPaths(List.of(3L, 5L));
    int port = start(listener);
    int[] counts = {4, 7, 2, 9, 1, 3};
    try (AgentLedgerClient client = AgentLedgerClient.connect("127.0.0.1", port)) {
      for (int count : counts) {
        client.send(records(count));
      }
      List<Submit> later = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Submit s = listener.deferred.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("deferred SUBMIT %s", i).isNotNull();
        later.add(s);
      }
      assertThat(listener.refused.poll(10, TimeUnit.SECONDS)).isEqualTo(3L);
      assertThat(listener.refused.poll(10, TimeUnit.SECONDS)).isEqualTo(5L);
      // The deferred ones are answered last, and not even in their own order.
      Collections.reverse(later);
      for (Submit s : later) {
        listener.answer(s, TxStatus.ACCEPTED);
      }
      for (int i = 0; i < counts.length; i++) {
        AgentLedgerClient.SubmitResult result = client.readResult();
        assertThat(result.requestId()).as("answer %s", i).isEqualTo(i + 1L);
        assertThat(result.statuses()).hasSize(counts[i]);
        TxStatus expected = i + 1 == 3 || i + 1 == 5 ? TxStatus.OVERLOADED : TxStatus.ACCEPTED;
        assertThat(result.statuses()).containsOnly(expected);
      }
    }
  }

  @Test
  void theClusterSubmitterPairsEveryAnswerAndResendsTheRefusedRun() throws Exception {
    // One run per SUBMIT: request 2 (the second run) is refused OVERLOADED at once, the others are
    // answered later, request 3 before request 1; the refused run comes back as request 4.
    TwoPaths listener = new TwoPaths(List.of(2L));
    int port = start(listener);
    java.util.Set<Long> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    BlockingQueue<Long> retried = new LinkedBlockingQueue<>();
    ClusterSubmitter.Config config =
        ClusterSubmitter.Config.of(List.of(new InetSocketAddress("127.0.0.1", port)))
            .withFrames(1, 16)
            .withCommits(false, null, TimeUnit.MILLISECONDS.toNanos(10), 1_000);
    try (ClusterSubmitter submitter =
        ClusterSubmitter.start(
            config,
            new ClusterSubmitter.Listener() {
              @Override
              public void onAccepted(long sequence, long nowNs) {
                accepted.add(sequence);
              }

              @Override
              public void onRejected(long sequence, TxStatus status, long nowNs) {}

              @Override
              public void onRetried(long sequence, TxStatus status, long nowNs) {
                retried.add(sequence);
              }

              @Override
              public void onCommitted(long sequence, long nowNs) {}
            })) {
      UnsafeBuffer run = new UnsafeBuffer(new byte[AgentRunDescriptor.ENCODED_LENGTH]);
      for (int i = 0; i < 3; i++) {
        run.putByte(AgentRunDescriptor.AGENT_OFFSET + 4, (byte) (i + 1)); // three agents
        assertThat(submitter.offer(run, 0, run.capacity(), 10 + i)).isTrue();
      }
      Submit first = listener.deferred.poll(10, TimeUnit.SECONDS);
      Submit third = listener.deferred.poll(10, TimeUnit.SECONDS);
      assertThat(listener.refused.poll(10, TimeUnit.SECONDS)).isEqualTo(2L);
      assertThat(first.requestId()).isEqualTo(1);
      assertThat(third.requestId()).isEqualTo(3);
      listener.answer(third, TxStatus.ACCEPTED);
      listener.answer(first, TxStatus.ACCEPTED);
      Long again = retried.poll(10, TimeUnit.SECONDS);
      assertThat(submitter.failure()).as("no answer mismatched its request").isNull();
      assertThat(again).as("the refused run").isEqualTo(11L);
      Submit resent = listener.deferred.poll(10, TimeUnit.SECONDS);
      assertThat(resent).as("the refused run sent again").isNotNull();
      assertThat(resent.requestId()).isEqualTo(4);
      listener.answer(resent, TxStatus.ACCEPTED);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (accepted.size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(submitter.failure()).as("no answer mismatched its request").isNull();
      assertThat(accepted).containsExactlyInAnyOrder(10L, 11L, 12L);
      assertThat(submitter.retries()).isEqualTo(1);
    }
  }

  @Test
  void runsOfALostConnectionAreReportedUnansweredAtClose() throws Exception {
    TwoPaths listener = new TwoPaths(List.of()); // answers nothing
    int port = start(listener);
    java.util.Set<Long> unanswered = java.util.concurrent.ConcurrentHashMap.newKeySet();
    ClusterSubmitter.Config config =
        ClusterSubmitter.Config.of(List.of(new InetSocketAddress("127.0.0.1", port)))
            .withFrames(1, 16)
            .withCommits(false, null, TimeUnit.MILLISECONDS.toNanos(10), 1_000)
            .withReconnect(0); // a lost connection stops the lane at once
    ClusterSubmitter submitter =
        ClusterSubmitter.start(
            config,
            new ClusterSubmitter.Listener() {
              @Override
              public void onAccepted(long sequence, long nowNs) {}

              @Override
              public void onRejected(long sequence, TxStatus status, long nowNs) {}

              @Override
              public void onCommitted(long sequence, long nowNs) {}

              @Override
              public void onUnanswered(long sequence, long nowNs) {
                unanswered.add(sequence);
              }
            });
    try {
      UnsafeBuffer run = new UnsafeBuffer(new byte[AgentRunDescriptor.ENCODED_LENGTH]);
      for (int i = 0; i < 3; i++) {
        run.putByte(AgentRunDescriptor.AGENT_OFFSET + 4, (byte) (i + 1));
        assertThat(submitter.offer(run, 0, run.capacity(), 10 + i)).isTrue();
      }
      for (int i = 0; i < 3; i++) {
        assertThat(listener.deferred.poll(10, TimeUnit.SECONDS)).isNotNull();
      }
      transport.close(); // the validator goes away with three SUBMITs unanswered
      transport = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (submitter.failure() == null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(submitter.failure()).as("the lost connection").isNotNull();
      run.putByte(AgentRunDescriptor.AGENT_OFFSET + 4, (byte) 9);
      assertThat(submitter.offer(run, 0, run.capacity(), 13)).isTrue();
    } finally {
      submitter.close();
    }
    assertThat(unanswered).containsExactlyInAnyOrder(10L, 11L, 12L, 13L);
    assertThat(submitter.unanswered()).isEqualTo(4);
  }
}
