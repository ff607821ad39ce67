package dev.agentledger.node.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.idle.ParkingIdleStrategy;
import dev.agentledger.node.ingress.CpuBatchSignatureVerifier;
import dev.agentledger.node.ingress.IngressChecks;
import dev.agentledger.node.ingress.IngressConfig;
import dev.agentledger.node.ingress.IngressProcessor;
import dev.agentledger.node.ingress.SingleEd25519Verifier;
import dev.agentledger.node.mempool.core.Mempool;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.MessageType;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.runtime.AgentHost;
import dev.agentledger.node.runtime.ThreadingMode;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.worker.core.BatchDigester;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;

/**
 * The verify stage with real threads, real keys and the CPU batch verifier: SUBMIT frames come out
 * with the exact status bytes of the one-by-one path; a peer batch with one forged signature is
 * never forwarded to the worker (so never acknowledged) while the same peer's next honest batch is,
 * in order; a full input ring refuses frames (the node then answers OVERLOADED).
 */
class VerifyStageTest {
  static final int CHAIN = 11;
  static final long NOW_NS = System.currentTimeMillis() * 1_000_000L;
  static final IngressConfig INGRESS = new IngressConfig(CHAIN, 0, 0, 3_600_000_000_000L, 0);

  static ManyToOneRingBuffer ring(int bytes) {
    return new ManyToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect(bytes + RingBufferDescriptor.TRAILER_LENGTH)));
  }

  static byte[] signed(int agent, long nonce, boolean forged) {
    byte[] seed = new byte[32];
    seed[0] = (byte) agent;
    byte[] r =
        new AgentRunBuilder()
            .chainId(CHAIN)
            .nonce(nonce)
            .startedAt(NOW_NS - 1_000)
            .endedAt(NOW_NS)
            .sign(Ed25519KeyPair.fromSeed(seed));
    if (forged) {
      r[AgentRunDescriptor.SIGNATURE_OFFSET + 7] ^= 0x40;
    }
    return r;
  }

  static UnsafeBuffer submit(List<byte[]> records) {
    UnsafeBuffer frame =
        new UnsafeBuffer(
            new byte[Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + records.size() * Wire.RECORD]);
    Wire.submitHeader(frame, 0, 77, records.size());
    for (int i = 0; i < records.size(); i++) {
      frame.putBytes(Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + i * Wire.RECORD, records.get(i));
    }
    return frame;
  }

  static UnsafeBuffer batch(int author, long seq, List<byte[]> records) {
    UnsafeBuffer frame =
        new UnsafeBuffer(
            new byte[Wire.HEADER_LENGTH + Wire.BATCH_RECORDS + records.size() * Wire.RECORD]);
    int recordsAt = Wire.HEADER_LENGTH + Wire.BATCH_RECORDS;
    for (int i = 0; i < records.size(); i++) {
      frame.putBytes(recordsAt + i * Wire.RECORD, records.get(i));
    }
    byte[] digest = new byte[32];
    new BatchDigester().digest(author, seq, frame, recordsAt, records.size(), digest);
    int length = Wire.batchHeader(frame, 0, author, seq, digest, records.size());
    assertThat(length).isEqualTo(frame.capacity());
    assertThat(Wire.validate(frame, 0, length)).isEqualTo(Wire.FrameError.OK);
    return frame;
  }

  record Out(int type, byte[] bytes) {}

  /**
   * Reads messages from the two output rings until {@code n} arrived (a stuck stage fails after a
   * minute).
   */
  static List<Out> await(ManyToOneRingBuffer peerOut, ManyToOneRingBuffer clientOut, int n)
      throws InterruptedException {
    List<Out> got = new ArrayList<>();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (got.size() < n) {
      int read =
          peerOut.read(
                  (type, b, index, length) -> {
                    byte[] bytes = new byte[length];
                    b.getBytes(index, bytes);
                    got.add(new Out(type, bytes));
                  })
              + clientOut.read(
                  (type, b, index, length) -> {
                    byte[] bytes = new byte[length];
                    b.getBytes(index, bytes);
                    got.add(new Out(type, bytes));
                  });
      if (read == 0) {
        assertThat(System.nanoTime())
            .as("the stage forwarded %d of %d messages", got.size(), n)
            .isLessThan(deadline);
        Thread.sleep(1);
      }
    }
    return got;
  }

  @Test
  void submitsGetExactStatusesAndForgedPeerBatchesAreNotForwarded() throws Exception {
    ManyToOneRingBuffer peerOut = ring(1 << 24);
    ManyToOneRingBuffer clientOut = ring(1 << 22);
    try (VerifyStage stage =
            new VerifyStage(
                0,
                1,
                CHAIN,
                4,
                new IngressChecks(INGRESS),
                CpuBatchSignatureVerifier::new,
                1 << 22,
                peerOut,
                clientOut);
        AgentHost host =
            AgentHost.start(
                "verify-test",
                stage.agents(),
                ThreadingMode.DEDICATED,
                Throwable::printStackTrace)) {
      List<byte[]> forgedBatch = new ArrayList<>();
      List<byte[]> honestBatch = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        forgedBatch.add(signed(1, i, i == 17));
        honestBatch.add(signed(2, i, false));
      }
      List<byte[]> mixed = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        mixed.add(signed(3, i, i % 7 == 3));
      }
      mixed.set(4, signed(3, 4, false).clone());
      mixed.get(4)[AgentRunDescriptor.CHAIN_ID_OFFSET] ^= 1; // a cheap-check failure
      UnsafeBuffer forged = batch(1, 0, forgedBatch);
      UnsafeBuffer honest = batch(1, 1, honestBatch);
      UnsafeBuffer submitFrame = submit(mixed);
      assertThat(stage.offerPeer(1, forged, 0, forged.capacity())).isTrue();
      assertThat(stage.offerPeer(1, honest, 0, honest.capacity())).isTrue();
      assertThat(stage.offerClient(5, submitFrame, 0, submitFrame.capacity())).isTrue();

      List<Out> out = await(peerOut, clientOut, 2);
      assertThat(out)
          .extracting(Out::type)
          .containsExactlyInAnyOrder(VerifyStage.PEER_VERIFIED, VerifyStage.CLIENT_VERIFIED);
      for (Out o : out) {
        UnsafeBuffer b = new UnsafeBuffer(o.bytes());
        if (o.type() == VerifyStage.PEER_VERIFIED) {
          assertThat(b.getInt(0)).isEqualTo(1);
          byte[] frame = new byte[o.bytes().length - 4];
          b.getBytes(4, frame);
          byte[] expected = new byte[honest.capacity()];
          honest.getBytes(0, expected);
          assertThat(frame).as("only the honest batch is forwarded").isEqualTo(expected);
        } else {
          assertThat(b.getLong(0)).isEqualTo(5);
          int frameLength = b.getInt(8);
          assertThat(frameLength).isEqualTo(submitFrame.capacity());
          // Admission on the agent side gives what the inline single-verify path gives.
          IngressProcessor single =
              new IngressProcessor(
                  new IngressChecks(INGRESS), new SingleEd25519Verifier(), mempool());
          IngressProcessor admit =
              new IngressProcessor(
                  new IngressChecks(INGRESS),
                  x -> {
                    throw new AssertionError("verified already");
                  },
                  mempool());
          UnsafeBuffer a = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME]);
          UnsafeBuffer e = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME]);
          int n = admit.onVerifiedSubmit(b, 12, b, 12 + frameLength, 5, 0, a, 0);
          int m =
              single.onSubmit(submitFrame, 0, 5, 0, System.currentTimeMillis() * 1_000_000L, e, 0);
          assertThat(n).isEqualTo(m);
          for (int i = 0; i < 30; i++) {
            TxStatus s = TxStatus.fromCode(a.getByte(Wire.HEADER_LENGTH + Wire.RESULT_CODES + i));
            assertThat(s)
                .as("record %d", i)
                .isEqualTo(
                    TxStatus.fromCode(e.getByte(Wire.HEADER_LENGTH + Wire.RESULT_CODES + i)));
            TxStatus want =
                i == 4
                    ? TxStatus.WRONG_CHAIN
                    : i % 7 == 3 ? TxStatus.BAD_SIGNATURE : TxStatus.ACCEPTED;
            assertThat(s).as("record %d", i).isEqualTo(want);
          }
        }
      }
      assertThat(stage.badSignatureBatches()).isEqualTo(1);
      assertThat(stage.status().toString()).contains("\"badSignatureBatches\":1");
    }
  }

  /**
   * With lingering on, a round of few signatures waits for more frames until the linger time has
   * passed on the stage's clock, then goes out whole and in order; a round of {@link
   * VerifyStage#LINGER_SIGNATURES} signatures goes out at once.
   */
  @Test
  void aSmallRoundLingersUntilItsTimeIsUpAndAFullOneGoesAtOnce() {
    ManyToOneRingBuffer peerOut = ring(1 << 24);
    ManyToOneRingBuffer clientOut = ring(1 << 22);
    long[] now = {1_000_000_000L};
    try (VerifyStage stage =
            new VerifyStage(
                0,
                1,
                CHAIN,
                4,
                new IngressChecks(INGRESS),
                CpuBatchSignatureVerifier::new,
                1 << 22,
                peerOut,
                clientOut);
        AgentHost host =
            AgentHost.start("verify-linger", stage.agents(), ThreadingMode.INVOKER, (t) -> {})) {
      stage.linger(4_000_000L, () -> now[0]);
      List<byte[]> few = new ArrayList<>();
      List<byte[]> peer = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        few.add(signed(4, i, false));
      }
      for (int i = 0; i < 40; i++) {
        peer.add(signed(5, i, false));
      }
      UnsafeBuffer submitFrame = submit(few);
      UnsafeBuffer batchFrame = batch(2, 0, peer);
      ParkingIdleStrategy idle = stage.agents().get(0).idle();
      assertThat(stage.offerClient(9, submitFrame, 0, submitFrame.capacity())).isTrue();
      assertThat(host.invoke()).as("a lingering agent lets its thread idle").isZero();
      assertThat(peerOut.size() + clientOut.size()).as("3 signatures linger").isZero();
      assertThat(idle.nextParkNs())
          .as("it parks at once until the round's deadline, no spinning")
          .isEqualTo(4_000_000L);
      now[0] += 1_000_000L;
      assertThat(stage.offerPeer(2, batchFrame, 0, batchFrame.capacity())).isTrue();
      assertThat(host.invoke()).isZero();
      assertThat(idle.nextParkNs()).as("the rest of the linger time").isEqualTo(3_000_000L);
      host.invoke();
      assertThat(peerOut.size() + clientOut.size()).as("43 signatures, 1 ms in").isZero();
      assertThat(stage.signatures()).isZero();
      now[0] += 3_000_000L;
      assertThat(host.invoke()).as("both frames forwarded").isEqualTo(2);
      assertThat(stage.signatures()).as("one round of both frames").isEqualTo(43);
      idle.idle(2);
      assertThat(idle.nextParkNs()).as("after the round, the usual back-off").isEqualTo(20_000L);
      assertThat(stage.rounds()).isEqualTo(1);
      List<Out> out = drain(peerOut, clientOut);
      assertThat(out)
          .extracting(Out::type)
          .containsExactlyInAnyOrder(VerifyStage.PEER_VERIFIED, VerifyStage.CLIENT_VERIFIED);
      Out client =
          out.stream().filter(o -> o.type() == VerifyStage.CLIENT_VERIFIED).findFirst().get();
      int frameLength = new UnsafeBuffer(client.bytes()).getInt(8);
      for (int i = 0; i < 3; i++) {
        assertThat(client.bytes()[12 + frameLength + i]).isEqualTo((byte) TxStatus.ACCEPTED.code());
      }

      List<byte[]> full = new ArrayList<>();
      for (int i = 0; i < VerifyStage.LINGER_SIGNATURES; i++) {
        full.add(signed(6, i, false));
      }
      UnsafeBuffer fullFrame = submit(full);
      assertThat(stage.offerClient(9, fullFrame, 0, fullFrame.capacity())).isTrue();
      host.invoke();
      assertThat(stage.rounds()).as("a full round is not held").isEqualTo(2);
      assertThat(drain(peerOut, clientOut)).hasSize(1);
      assertThat(stage.status().get("lingeredCycles").asLong()).isEqualTo(3);
    }
  }

  static List<Out> drain(ManyToOneRingBuffer peerOut, ManyToOneRingBuffer clientOut) {
    List<Out> got = new ArrayList<>();
    for (ManyToOneRingBuffer r : List.of(peerOut, clientOut)) {
      r.read(
          (type, b, index, length) -> {
            byte[] bytes = new byte[length];
            b.getBytes(index, bytes);
            got.add(new Out(type, bytes));
          });
    }
    return got;
  }

  @Test
  void aFullStageRefusesFramesSoTheNodeAnswersOverloaded() {
    ManyToOneRingBuffer peerOut = ring(1 << 16);
    ManyToOneRingBuffer clientOut = ring(1 << 16);
    // Not started: nothing drains the input rings.
    try (VerifyStage stage =
        new VerifyStage(
            0,
            2,
            CHAIN,
            4,
            new IngressChecks(INGRESS),
            CpuBatchSignatureVerifier::new,
            1 << 16,
            peerOut,
            clientOut)) {
      List<byte[]> records = new ArrayList<>();
      for (int i = 0; i < Wire.MAX_SUBMIT_RECORDS; i++) {
        records.add(signed(1, i, false));
      }
      UnsafeBuffer frame = submit(records);
      int accepted = 0;
      while (stage.offerClient(0, frame, 0, frame.capacity())) {
        accepted++;
        assertThat(accepted).isLessThan(1000);
      }
      assertThat(accepted).isBetween(32, 128); // 64 full frames' worth of ring, in whole frames
      assertThat(stage.offerClient(0, frame, 0, frame.capacity())).isFalse();
      assertThat(stage.offerClient(2, frame, 0, frame.capacity()))
          .as("same agent (2 mod 2)")
          .isFalse();
      assertThat(stage.offerClient(1, frame, 0, frame.capacity()))
          .as("the other agent has room")
          .isTrue();
      // What the node sends back for a refused SUBMIT: every record OVERLOADED.
      UnsafeBuffer reply = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME]);
      int n = IngressProcessor.rejectAll(frame, 0, TxStatus.OVERLOADED, reply, 0);
      assertThat(Wire.validate(reply, 0, n)).isEqualTo(Wire.FrameError.OK);
      assertThat(reply.getByte(Wire.HEADER_LENGTH + Wire.RESULT_CODES + 255))
          .isEqualTo((byte) TxStatus.OVERLOADED.code());
      assertThat(Wire.type(frame, 0)).isEqualTo(MessageType.SUBMIT);
    }
  }

  static Mempool mempool() {
    return new Mempool(new MempoolConfig(4096, 64, 64, 4096, 0, 0, 16, 0, 0), 3);
  }
}
