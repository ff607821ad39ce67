package dev.agentledger.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.client.ClusterSubmitter;
import dev.agentledger.node.client.core.ReconnectBackoff;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import dev.agentledger.node.tx.AgentRunDescriptor;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real sockets and the real client: a validator's client port goes away (its Netty transport is
 * closed, as when the process is killed) while SUBMITs are unanswered, and comes back on the same
 * port. The {@link ClusterSubmitter} lane connects again and sends the unanswered runs first, in
 * their order, then the runs offered meanwhile; a resent run refused as {@code NONCE_REPLAY} (its
 * first copy was admitted) counts as accepted, a first copy refused so stays refused. By default a
 * lane keeps trying for as long as the submitter runs; a lane given a bounded time that cannot
 * connect again within it stops and reports its runs unanswered.
 */
class SubmitReconnectTest {
  static final int CHAIN = 11;

  record Submit(long connection, long requestId, int agent) {}

  /** A client port that holds every one-run SUBMIT for the test to answer. */
  static final class Holding implements TransportListener {
    final BlockingQueue<Submit> submits = new LinkedBlockingQueue<>();
    volatile NettyTransport transport;

    @Override
    public void onPeerFrame(int peer, DirectBuffer buffer, int offset, int length) {}

    @Override
    public void onClientFrame(long connection, DirectBuffer buffer, int offset, int length) {
      long requestId =
          buffer.getLong(offset + Wire.HEADER_LENGTH + Wire.REQUEST_ID, ByteOrder.LITTLE_ENDIAN);
      int agent =
          buffer.getByte(
              offset
                  + Wire.HEADER_LENGTH
                  + Wire.SUBMIT_RECORDS
                  + AgentRunDescriptor.AGENT_OFFSET
                  + 4);
      submits.add(new Submit(connection, requestId, agent));
    }

    Submit next() throws InterruptedException {
      Submit s = submits.poll(30, TimeUnit.SECONDS);
      assertThat(s).as("a SUBMIT arrives").isNotNull();
      return s;
    }

    void answer(Submit s, TxStatus status) {
      UnsafeBuffer out = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME]);
      int n = Wire.submitResultHeader(out, 0, s.requestId(), 1);
      out.putByte(Wire.HEADER_LENGTH + Wire.RESULT_CODES, (byte) status.code());
      transport.sendToClient(s.connection(), out, 0, n);
    }
  }

  /** What the submitter reported, by sequence. */
  static final class Outcomes implements ClusterSubmitter.Listener {
    final Set<Long> accepted = ConcurrentHashMap.newKeySet();
    final Map<Long, TxStatus> rejected = new ConcurrentHashMap<>();
    final Set<Long> unanswered = ConcurrentHashMap.newKeySet();

    @Override
    public void onAccepted(long sequence, long nowNs) {
      accepted.add(sequence);
    }

    @Override
    public void onRejected(long sequence, TxStatus status, long nowNs) {
      rejected.put(sequence, status);
    }

    @Override
    public void onCommitted(long sequence, long nowNs) {}

    @Override
    public void onUnanswered(long sequence, long nowNs) {
      unanswered.add(sequence);
    }

    void await(int answered) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (accepted.size() + rejected.size() < answered && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }
  }

  final int[] peerPorts = TestKeys.freePorts(2);
  final int[] clientPorts = TestKeys.freePorts(2);
  NettyTransport transport;

  @AfterEach
  void close() {
    if (transport != null) {
      transport.close();
    }
  }

  private void start(Holding listener) {
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
  }

  private ClusterSubmitter.Config config() {
    return ClusterSubmitter.Config.of(List.of(new InetSocketAddress("127.0.0.1", clientPorts[0])))
        .withFrames(1, 16)
        .withCommits(false, null, TimeUnit.MILLISECONDS.toNanos(10), 1_000);
  }

  private static void offer(ClusterSubmitter submitter, int agent, long sequence) {
    UnsafeBuffer run = new UnsafeBuffer(new byte[AgentRunDescriptor.ENCODED_LENGTH]);
    run.putByte(AgentRunDescriptor.AGENT_OFFSET + 4, (byte) agent);
    assertThat(submitter.offer(run, 0, run.capacity(), sequence)).isTrue();
  }

  @Test
  void aLaneConnectsAgainAndSendsItsUnansweredRunsFirst() throws Exception {
    Holding before = new Holding();
    start(before);
    Outcomes outcomes = new Outcomes();
    ClusterSubmitter submitter = ClusterSubmitter.start(config(), outcomes);
    try {
      for (int i = 0; i < 3; i++) {
        offer(submitter, i + 1, 10 + i); // three agents, one run each
      }
      Submit first = before.next();
      assertThat(first.agent()).isEqualTo(1);
      assertThat(before.next().agent()).isEqualTo(2);
      assertThat(before.next().agent()).isEqualTo(3);
      before.answer(first, TxStatus.ACCEPTED);
      outcomes.await(1);
      assertThat(outcomes.accepted).containsExactly(10L);

      transport.close(); // the validator goes away with runs 11 and 12 unanswered
      transport = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (submitter.lanesDown() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(submitter.lanesDown()).as("the lane saw the loss").isEqualTo(1);
      offer(submitter, 4, 13); // offered while it is away
      Holding after = new Holding();
      start(after); // back on the same port

      Submit again11 = after.next();
      Submit again12 = after.next();
      Submit fresh13 = after.next();
      assertThat(List.of(again11.agent(), again12.agent(), fresh13.agent()))
          .as("the unanswered runs first, in their order, then the one offered meanwhile")
          .containsExactly(2, 3, 4);
      after.answer(again11, TxStatus.NONCE_REPLAY); // its first copy was admitted
      after.answer(again12, TxStatus.ACCEPTED); // its first copy never arrived
      after.answer(fresh13, TxStatus.ACCEPTED);
      outcomes.await(4);
      offer(submitter, 5, 14); // a first copy refused as a replay stays refused
      after.answer(after.next(), TxStatus.NONCE_REPLAY);
      outcomes.await(5);

      assertThat(submitter.failure()).as("the lane came back").isNull();
      assertThat(outcomes.accepted).containsExactlyInAnyOrder(10L, 11L, 12L, 13L);
      assertThat(outcomes.rejected).isEqualTo(Map.of(14L, TxStatus.NONCE_REPLAY));
      // At least once: the lane may also have reached the closing port before it was unbound,
      // and then lost that connection too (its SUBMITs were taken back again).
      assertThat(submitter.reconnects()).isGreaterThanOrEqualTo(1);
      assertThat(submitter.resentAfterReconnect()).isGreaterThanOrEqualTo(2);
      assertThat(submitter.lanesDown()).isZero();
    } finally {
      submitter.close();
    }
    assertThat(outcomes.unanswered).isEmpty();
    assertThat(submitter.unanswered()).isZero();
  }

  @Test
  void aLaneThatCannotConnectAgainInTimeStopsAndReportsItsRunsUnanswered() throws Exception {
    Holding before = new Holding();
    start(before);
    Outcomes outcomes = new Outcomes();
    ClusterSubmitter submitter =
        ClusterSubmitter.start(
            config().withReconnect(TimeUnit.MILLISECONDS.toNanos(300)), outcomes);
    try {
      offer(submitter, 1, 10);
      offer(submitter, 2, 11);
      before.next();
      before.next();
      transport.close(); // and it does not come back
      transport = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (submitter.failure() == null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(submitter.failure()).as("the lane gave up").isNotNull();
      assertThat(submitter.lanesDown()).isEqualTo(1);
      offer(submitter, 3, 12);
    } finally {
      submitter.close();
    }
    assertThat(outcomes.unanswered).containsExactlyInAnyOrder(10L, 11L, 12L);
    assertThat(submitter.unanswered()).isEqualTo(3);
  }

  @Test
  void byDefaultALaneKeepsTryingUntilTheValidatorComesBack() throws Exception {
    assertThat(config().reconnectForNs()).isEqualTo(ReconnectBackoff.UNTIL_CLOSED);
    Holding before = new Holding();
    start(before);
    Outcomes outcomes = new Outcomes();
    ClusterSubmitter submitter = ClusterSubmitter.start(config(), outcomes);
    try {
      offer(submitter, 1, 10);
      before.next();
      transport.close(); // away with run 10 unanswered
      transport = null;
      // six failed attempts: pauses of 50, 100, 200, 400, 800 and 1,600 ms, the backoff's doubling
      // up to its cap (ReconnectBackoffTest shows an hour of it never gives up)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (submitter.reconnectAttemptsFailed() < 6 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(submitter.reconnectAttemptsFailed()).isGreaterThanOrEqualTo(6);
      assertThat(submitter.failure()).as("the lane is still trying").isNull();
      assertThat(submitter.lanesDown()).isEqualTo(1);
      offer(submitter, 2, 11);
      Holding after = new Holding();
      start(after);
      Submit again10 = after.next();
      Submit fresh11 = after.next();
      assertThat(List.of(again10.agent(), fresh11.agent())).containsExactly(1, 2);
      after.answer(again10, TxStatus.ACCEPTED);
      after.answer(fresh11, TxStatus.ACCEPTED);
      outcomes.await(2);
      assertThat(outcomes.accepted).containsExactlyInAnyOrder(10L, 11L);
      assertThat(submitter.failure()).isNull();
      assertThat(submitter.lanesDown()).isZero();
    } finally {
      submitter.close();
    }
    assertThat(outcomes.unanswered).isEmpty();
  }
}
