package dev.agentledger.node.tx;

import static dev.agentledger.node.tx.AgentRunDescriptor.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.hash.Sha256;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class AgentRunFlyweightTest {
  private static final Ed25519KeyPair AGENT = Ed25519KeyPair.fromSeed(seed(1));
  private static final Ed25519KeyPair PAYER = Ed25519KeyPair.fromSeed(seed(2));

  /** The field values of one record, as the test sees them (independent of the flyweight). */
  record Fields(
      int chainId,
      int shardHint,
      long nonce,
      byte[] taskId,
      byte[] parentRun,
      long startedAt,
      long durationNs,
      long inputTokens,
      long outputTokens,
      long computeMs,
      long gpuMs,
      long peakMemoryBytes,
      byte[] model,
      RunOutcome outcome,
      int priority,
      long maxFee,
      byte[] metadataCid,
      boolean separatePayer) {}

  @Provide
  Arbitrary<Fields> fields() {
    Arbitrary<byte[]> bytes16 = Arbitraries.bytes().array(byte[].class).ofSize(16);
    Arbitrary<byte[]> bytes32 = Arbitraries.bytes().array(byte[].class).ofSize(32);
    Arbitrary<byte[]> cid =
        Arbitraries.oneOf(
            Arbitraries.just(new byte[METADATA_CID_LENGTH]),
            bytes32.map(d -> cid(d, 0x55)),
            bytes32.map(d -> cid(d, 0x71)));
    Arbitrary<Long> anyLong = Arbitraries.longs();
    return Combinators.combine(
            Combinators.combine(
                    Arbitraries.integers(),
                    Arbitraries.integers().between(0, 0xFFFF),
                    anyLong,
                    bytes16,
                    bytes32,
                    Arbitraries.longs().between(1, Long.MAX_VALUE / 2),
                    Arbitraries.longs().between(0, Long.MAX_VALUE / 2),
                    anyLong)
                .as(
                    (a0, a1, a2, a3, a4, a5, a6, a7) ->
                        new Object[] {a0, a1, a2, a3, a4, a5, a6, a7}),
            Combinators.combine(
                    anyLong,
                    anyLong,
                    anyLong,
                    anyLong,
                    bytes32,
                    Arbitraries.of(RunOutcome.class),
                    Arbitraries.integers().between(0, PRIORITY_LANES - 1),
                    anyLong)
                .as(
                    (b0, b1, b2, b3, b4, b5, b6, b7) ->
                        new Object[] {b0, b1, b2, b3, b4, b5, b6, b7}),
            cid,
            Arbitraries.of(true, false))
        .as(
            (a, b, c, payer) ->
                new Fields(
                    (int) a[0],
                    (int) a[1],
                    (long) a[2],
                    (byte[]) a[3],
                    (byte[]) a[4],
                    (long) a[5],
                    (long) a[6],
                    (long) a[7],
                    (long) b[0],
                    (long) b[1],
                    (long) b[2],
                    (long) b[3],
                    (byte[]) b[4],
                    (RunOutcome) b[5],
                    (int) b[6],
                    (long) b[7],
                    c,
                    payer));
  }

  static byte[] build(Fields f) {
    AgentRunBuilder builder =
        new AgentRunBuilder()
            .chainId(f.chainId())
            .shardHint(f.shardHint())
            .nonce(f.nonce())
            .taskId(f.taskId())
            .parentRun(f.parentRun())
            .startedAt(f.startedAt())
            .endedAt(f.startedAt() + f.durationNs())
            .inputTokens(f.inputTokens())
            .outputTokens(f.outputTokens())
            .computeMs(f.computeMs())
            .gpuMs(f.gpuMs())
            .peakMemoryBytes(f.peakMemoryBytes())
            .model(f.model())
            .outcome(f.outcome())
            .priority(f.priority())
            .maxFee(f.maxFee())
            .metadataCid(f.metadataCid());
    if (f.separatePayer()) {
      builder.payer(PAYER.publicKey());
    }
    return builder.sign(AGENT);
  }

  @Property(tries = 300)
  void roundTripsEveryFieldThroughHeapAndDirectBuffers(@ForAll("fields") Fields f) {
    byte[] record = build(f);
    assertThat(record).hasSize(ENCODED_LENGTH);
    // Same bytes read through a direct buffer at an unaligned offset.
    ByteBuffer direct = ByteBuffer.allocateDirect(ENCODED_LENGTH + 13);
    direct.position(13);
    direct.put(record);
    for (UnsafeBuffer buffer :
        new UnsafeBuffer[] {new UnsafeBuffer(record), new UnsafeBuffer(direct)}) {
      int offset = buffer.byteArray() == null ? 13 : 0;
      AgentRunFlyweight run = new AgentRunFlyweight().wrap(buffer, offset);
      assertThat(run.version()).isEqualTo(VERSION_1);
      assertThat(run.kind()).isEqualTo(RunKind.RUN.code());
      assertThat(run.chainId()).isEqualTo(f.chainId());
      assertThat(run.shardHint()).isEqualTo(f.shardHint());
      assertThat(read(run::getAgent, 32)).isEqualTo(AGENT.publicKey());
      assertThat(read(run::getPayer, 32))
          .isEqualTo(f.separatePayer() ? PAYER.publicKey() : AGENT.publicKey());
      assertThat(run.nonce()).isEqualTo(f.nonce());
      assertThat(read(run::getTaskId, 16)).isEqualTo(f.taskId());
      assertThat(read(run::getParentRun, 32)).isEqualTo(f.parentRun());
      assertThat(run.startedAt()).isEqualTo(f.startedAt());
      assertThat(run.endedAt()).isEqualTo(f.startedAt() + f.durationNs());
      assertThat(run.inputTokens()).isEqualTo(f.inputTokens());
      assertThat(run.outputTokens()).isEqualTo(f.outputTokens());
      assertThat(run.computeMs()).isEqualTo(f.computeMs());
      assertThat(run.gpuMs()).isEqualTo(f.gpuMs());
      assertThat(run.peakMemoryBytes()).isEqualTo(f.peakMemoryBytes());
      assertThat(read(run::getModel, 32)).isEqualTo(f.model());
      assertThat(RunOutcome.fromCode(run.outcome())).isEqualTo(f.outcome());
      assertThat(run.priority()).isEqualTo(f.priority());
      assertThat(run.maxFee()).isEqualTo(f.maxFee());
      assertThat(read(run::getMetadataCid, 36)).isEqualTo(f.metadataCid());
      assertThat(run.validate()).isEqualTo(AgentRunError.NONE);
      assertThat(run.verifySignature()).isTrue();
    }
  }

  @Property(tries = 40)
  void everySingleByteMutationIsRejectedOrBreaksTheSignature(
      @ForAll("fields") Fields f, @ForAll @IntRange(min = 1, max = 255) int delta) {
    byte[] record = build(f);
    AgentRunFlyweight run = new AgentRunFlyweight();
    byte[] originalMessage = new byte[SIGNING_MESSAGE_LENGTH];
    run.wrap(new UnsafeBuffer(record), 0).signingMessage(originalMessage, 0);
    byte[] originalId = run.transactionId();
    for (int i = 0; i < ENCODED_LENGTH; i++) {
      byte[] mutated = record.clone();
      mutated[i] = (byte) (mutated[i] + delta);
      run.wrap(new UnsafeBuffer(mutated), 0);
      boolean rejected = run.validate() != AgentRunError.NONE || !run.verifySignature();
      assertThat(rejected).as("mutation at byte %d accepted", i).isTrue();
      byte[] message = new byte[SIGNING_MESSAGE_LENGTH];
      run.signingMessage(message, 0);
      if (i < BODY_LENGTH) {
        assertThat(message).as("byte %d is signed", i).isNotEqualTo(originalMessage);
      }
      assertThat(run.transactionId()).as("byte %d changes the id", i).isNotEqualTo(originalId);
    }
  }

  @Test
  void layoutIsTheDesignTable() {
    assertThat(AGENT_OFFSET).isEqualTo(8);
    assertThat(NONCE_OFFSET).isEqualTo(72);
    assertThat(STARTED_AT_OFFSET).isEqualTo(128);
    assertThat(MODEL_OFFSET).isEqualTo(184);
    assertThat(OUTCOME_OFFSET).isEqualTo(216);
    assertThat(METADATA_CID_OFFSET).isEqualTo(226);
    assertThat(SIGNATURE_OFFSET).isEqualTo(262);
    assertThat(ENCODED_LENGTH).isEqualTo(326);
    assertThat(SIGNING_MESSAGE_LENGTH).isEqualTo(18 + 4 + 262);
  }

  @Test
  void signingMessageIsDomainChainIdAndBodyAndTheIdIsItsHashWithTheSignature() {
    byte[] record = new AgentRunBuilder().chainId(0x01020304).startedAt(5).endedAt(6).sign(AGENT);
    AgentRunFlyweight run = new AgentRunFlyweight().wrap(new UnsafeBuffer(record), 0);
    byte[] message = new byte[SIGNING_MESSAGE_LENGTH];
    run.signingMessage(message, 0);
    byte[] expected = new byte[SIGNING_MESSAGE_LENGTH];
    byte[] domain = "agentledger/run/v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(domain, 0, expected, 0, 18);
    expected[18] = 4;
    expected[19] = 3;
    expected[20] = 2;
    expected[21] = 1;
    System.arraycopy(record, 0, expected, 22, BODY_LENGTH);
    assertThat(message).isEqualTo(expected);
    assertThat(
            Ed25519.verify(
                AGENT.publicKey(),
                Arrays.copyOfRange(record, SIGNATURE_OFFSET, ENCODED_LENGTH),
                expected))
        .isTrue();

    byte[] preimage = Arrays.copyOf(expected, ID_PREIMAGE_LENGTH);
    System.arraycopy(record, SIGNATURE_OFFSET, preimage, SIGNING_MESSAGE_LENGTH, SIGNATURE_LENGTH);
    assertThat(run.transactionId()).isEqualTo(Sha256.digest(preimage));
  }

  @Test
  void aRecordSignedForOneChainDoesNotVerifyOnAnother() {
    byte[] record = new AgentRunBuilder().chainId(7).startedAt(1).endedAt(1).sign(AGENT);
    AgentRunFlyweight run = new AgentRunFlyweight().wrap(new UnsafeBuffer(record), 0);
    assertThat(run.verifySignature()).isTrue();
    run.chainId(8);
    assertThat(run.verifySignature()).isFalse();
  }

  @Test
  void validationReportsEachSpecificError() {
    assertThat(errorOf(b -> b.version(2))).isEqualTo(AgentRunError.UNKNOWN_VERSION);
    assertThat(errorOf(b -> b.kind(0))).isEqualTo(AgentRunError.UNKNOWN_KIND);
    assertThat(errorOf(b -> b.kind(9))).isEqualTo(AgentRunError.UNKNOWN_KIND);
    assertThat(errorOf(b -> b.outcomeCode(4))).isEqualTo(AgentRunError.UNKNOWN_OUTCOME);
    assertThat(errorOf(b -> b.startedAt(10).endedAt(9)))
        .isEqualTo(AgentRunError.ENDED_BEFORE_STARTED);
    assertThat(errorOf(b -> b.startedAt(0).endedAt(9))).isEqualTo(AgentRunError.ZERO_STARTED_AT);
    assertThat(errorOf(b -> b.priority(PRIORITY_LANES)))
        .isEqualTo(AgentRunError.PRIORITY_OUT_OF_RANGE);
    byte[] badCid = cid(new byte[32], 0x55);
    badCid[2] = 0x13;
    assertThat(errorOf(b -> b.metadataCid(badCid))).isEqualTo(AgentRunError.BAD_METADATA_CID);
    byte[] zeroAgent = new AgentRunBuilder().startedAt(1).endedAt(2).unsigned(new byte[32]);
    assertThat(new AgentRunFlyweight().wrap(new UnsafeBuffer(zeroAgent), 0).validate())
        .isEqualTo(AgentRunError.ZERO_AGENT_KEY);
    byte[] zeroPayer =
        new AgentRunBuilder().startedAt(1).endedAt(2).payer(new byte[32]).sign(AGENT);
    assertThat(new AgentRunFlyweight().wrap(new UnsafeBuffer(zeroPayer), 0).validate())
        .isEqualTo(AgentRunError.ZERO_PAYER_KEY);
    assertThat(errorOf(b -> b)).isEqualTo(AgentRunError.NONE);
  }

  @Test
  void wrapChecksCapacityAndReadOnlyBuffersRefuseWrites() {
    assertThatThrownBy(
            () -> new AgentRunFlyweight().wrap(new UnsafeBuffer(new byte[ENCODED_LENGTH - 1]), 0))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("326");
    assertThatThrownBy(
            () -> new AgentRunFlyweight().wrap(new UnsafeBuffer(new byte[ENCODED_LENGTH]), 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
    org.agrona.DirectBuffer readOnly = new UnsafeBuffer(new byte[ENCODED_LENGTH]) {};
    AgentRunFlyweight run = new AgentRunFlyweight().wrap(readOnly, 0);
    assertThat(run.version()).isZero();
  }

  @Test
  void transactionIdsOfDistinctRecordsDiffer() {
    Random random = new Random(42);
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      byte[] record =
          new AgentRunBuilder().nonce(random.nextLong()).startedAt(1).endedAt(2).sign(AGENT);
      ids.add(
          HexFormat.of()
              .formatHex(
                  new AgentRunFlyweight().wrap(new UnsafeBuffer(record), 0).transactionId()));
    }
    assertThat(ids).hasSize(200);
  }

  private static AgentRunError errorOf(java.util.function.UnaryOperator<AgentRunBuilder> change) {
    byte[] record = change.apply(new AgentRunBuilder().startedAt(100).endedAt(200)).sign(AGENT);
    return new AgentRunFlyweight().wrap(new UnsafeBuffer(record), 0).validate();
  }

  interface Reader {
    void read(byte[] dst, int offset);
  }

  private static byte[] read(Reader reader, int length) {
    byte[] out = new byte[length];
    reader.read(out, 0);
    return out;
  }

  static byte[] cid(byte[] digest, int codec) {
    byte[] cid = new byte[METADATA_CID_LENGTH];
    cid[0] = 0x01;
    cid[1] = (byte) codec;
    cid[2] = 0x12;
    cid[3] = 0x20;
    System.arraycopy(digest, 0, cid, 4, 32);
    return cid;
  }

  static byte[] seed(int value) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) value);
    return seed;
  }
}
