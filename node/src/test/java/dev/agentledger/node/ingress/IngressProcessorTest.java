package dev.agentledger.node.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.mempool.core.Mempool;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.sig.Ed25519KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class IngressProcessorTest {
  static final int CHAIN = 5;
  static final long NOW = 1_800_000_000_000_000_000L;
  static final Ed25519KeyPair AGENT = key(1);

  static Ed25519KeyPair key(int i) {
    byte[] seed = new byte[32];
    seed[0] = (byte) i;
    seed[1] = 0x33;
    return Ed25519KeyPair.fromSeed(seed);
  }

  static AgentRunBuilder valid(long nonce) {
    return new AgentRunBuilder()
        .chainId(CHAIN)
        .shardHint(0)
        .nonce(nonce)
        .startedAt(NOW - 1_000_000)
        .endedAt(NOW)
        .priority(1)
        .maxFee(100);
  }

  final Mempool mempool = new Mempool(new MempoolConfig(64, 16, 16, 64, 0, 0, 16, 0, 0));
  final IngressProcessor ingress =
      new IngressProcessor(
          new IngressChecks(new IngressConfig(CHAIN, 0, 10, 1_000_000_000L, 0)),
          new SingleEd25519Verifier(),
          mempool);
  final UnsafeBuffer out = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME]);

  static UnsafeBuffer submit(List<byte[]> records) {
    UnsafeBuffer frame =
        new UnsafeBuffer(
            new byte[Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + records.size() * Wire.RECORD]);
    Wire.submitHeader(frame, 0, 42, records.size());
    for (int i = 0; i < records.size(); i++) {
      frame.putBytes(Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + i * Wire.RECORD, records.get(i));
    }
    return frame;
  }

  List<TxStatus> run(List<byte[]> records) {
    UnsafeBuffer frame = submit(records);
    assertThat(Wire.validate(frame, 0, frame.capacity())).isEqualTo(Wire.FrameError.OK);
    int n = ingress.onSubmit(frame, 0, 1, 0, NOW, out, 0);
    assertThat(Wire.validate(out, 0, n)).isEqualTo(Wire.FrameError.OK);
    assertThat(out.getLong(Wire.HEADER_LENGTH, java.nio.ByteOrder.LITTLE_ENDIAN)).isEqualTo(42);
    List<TxStatus> statuses = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      statuses.add(TxStatus.fromCode(out.getByte(Wire.HEADER_LENGTH + Wire.RESULT_CODES + i)));
    }
    return statuses;
  }

  @Test
  void everyRejectionHasItsReason() {
    byte[] badSig = valid(1).sign(AGENT);
    badSig[badSig.length - 1] ^= 1;
    List<byte[]> records =
        List.of(
            valid(0).sign(AGENT),
            valid(0).chainId(CHAIN + 1).sign(AGENT),
            valid(0).shardHint(3).sign(AGENT),
            valid(0).maxFee(9).sign(AGENT),
            badSig,
            valid(0).version(2).sign(AGENT),
            valid(0).endedAt(NOW + 5_000_000_000L).sign(AGENT),
            valid(0).sign(AGENT),
            valid(100).sign(AGENT),
            valid(1).sign(AGENT));
    assertThat(run(records))
        .containsExactly(
            TxStatus.ACCEPTED,
            TxStatus.WRONG_CHAIN,
            TxStatus.WRONG_SHARD,
            TxStatus.FEE_TOO_LOW,
            TxStatus.BAD_SIGNATURE,
            TxStatus.MALFORMED,
            TxStatus.BAD_TIMESTAMP,
            TxStatus.NONCE_REPLAY,
            TxStatus.NONCE_TOO_FAR,
            TxStatus.ACCEPTED);
    assertThat(mempool.size()).isEqualTo(2);
    assertThat(ingress.count(TxStatus.ACCEPTED)).isEqualTo(2);
  }

  @Test
  void fullPoolAnswersOverloadedAndRateLimitAnswersRateLimited() {
    Mempool small = new Mempool(new MempoolConfig(2, 16, 16, 64, 0, 0, 16, 1, 1));
    IngressProcessor p =
        new IngressProcessor(
            new IngressChecks(IngressConfig.of(CHAIN, 0)), new SingleEd25519Verifier(), small);
    UnsafeBuffer frame = submit(List.of(valid(0).sign(key(2)), valid(0).sign(key(3))));
    int n = p.onSubmit(frame, 0, 1, 0, NOW, out, 0);
    assertThat(out.getByte(Wire.HEADER_LENGTH + Wire.RESULT_CODES))
        .isEqualTo((byte) TxStatus.ACCEPTED.code());
    assertThat(out.getByte(Wire.HEADER_LENGTH + Wire.RESULT_CODES + 1))
        .isEqualTo((byte) TxStatus.RATE_LIMITED.code());
    frame = submit(List.of(valid(0).sign(key(4)), valid(0).sign(key(5))));
    p.onSubmit(frame, 0, 2, 0, NOW, out, 0);
    p.onSubmit(submit(List.of(valid(0).sign(key(6)))), 0, 3, 0, NOW, out, 0);
    assertThat(out.getByte(Wire.HEADER_LENGTH + Wire.RESULT_CODES))
        .isEqualTo((byte) TxStatus.OVERLOADED.code());
    assertThat(n).isPositive();
  }

  /** Random bytes as records: never throws, nothing enters the mempool. */
  @Property(tries = 300)
  void randomRecordsNeverCrashNorChangeState(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int count) {
    Random random = new Random(seed);
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] r = new byte[Wire.RECORD];
      random.nextBytes(r);
      if (random.nextBoolean()) {
        // Make the cheap checks pass more often so the signature path is exercised too.
        r[0] = 1;
        r[1] = 1;
        r[2] = CHAIN;
        r[3] = r[4] = r[5] = r[6] = r[7] = 0;
      }
      records.add(r);
    }
    int before = mempool.size();
    List<TxStatus> statuses = run(records);
    assertThat(statuses).doesNotContain(TxStatus.ACCEPTED).doesNotContainNull();
    assertThat(mempool.size()).isEqualTo(before);
  }

  /** Any mutation of a signed record is refused (every byte is signed) and changes nothing. */
  @Property(tries = 300)
  void mutatedSignedRecordsAreRefused(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int mutations) {
    Random random = new Random(seed);
    byte[] record = valid(random.nextInt(4)).inputTokens(random.nextLong()).sign(AGENT);
    byte[] original = record.clone();
    for (int i = 0; i < mutations; i++) {
      record[random.nextInt(record.length)] ^= (byte) (1 + random.nextInt(255));
    }
    if (java.util.Arrays.equals(record, original)) {
      return;
    }
    int before = mempool.size();
    assertThat(run(List.of(record))).doesNotContain(TxStatus.ACCEPTED);
    assertThat(mempool.size()).isEqualTo(before);
  }
}
