package dev.agentledger.node.ingress;

import static dev.agentledger.node.tx.AgentRunDescriptor.AGENT_OFFSET;
import static dev.agentledger.node.tx.AgentRunDescriptor.CHAIN_ID_OFFSET;
import static dev.agentledger.node.tx.AgentRunDescriptor.INPUT_TOKENS_OFFSET;
import static dev.agentledger.node.tx.AgentRunDescriptor.SIGNATURE_OFFSET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.mempool.core.Mempool;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The batch path (several SUBMIT frames staged in one {@link RecordVerifier}, one {@link
 * CpuBatchSignatureVerifier} call, admission via {@link IngressProcessor#onVerifiedSubmit}) gives
 * every record exactly the status byte the one-by-one path gives ({@link IngressProcessor#onSubmit}
 * with {@link SingleEd25519Verifier}), for random mixes of valid records and records with forged R,
 * S, message, key, non-canonical S, or a failing cheap check.
 */
class BatchIngressAgreementTest {
  static final int CHAIN = IngressProcessorTest.CHAIN;
  static final int POOL = 96;

  /** Valid signed records: 12 agents x 8 nonces. */
  static final byte[][] SIGNED = new byte[POOL][];

  static {
    for (int i = 0; i < POOL; i++) {
      SIGNED[i] =
          IngressProcessorTest.valid(i / 12)
              .inputTokens(i * 31L)
              .sign(IngressProcessorTest.key(i % 12));
    }
  }

  static final IngressChecks CHECKS =
      new IngressChecks(new IngressConfig(CHAIN, 0, 10, 1_000_000_000L, 0));

  static Mempool mempool() {
    return new Mempool(new MempoolConfig(4096, 64, 64, 4096, 0, 0, 16, 0, 0), 7);
  }

  /** Record {@code pick} of the pool, damaged according to {@code how} (0, 1: left valid). */
  static byte[] record(int pick, int how, Random random) {
    byte[] r = SIGNED[pick].clone();
    switch (how) {
      case 2 -> r[SIGNATURE_OFFSET + random.nextInt(32)] ^= (byte) (1 << random.nextInt(8)); // R
      case 3 ->
          r[SIGNATURE_OFFSET + 32 + random.nextInt(31)] ^=
              (byte) (1 << random.nextInt(8)); // S, stays < 2^253
      case 4 -> r[SIGNATURE_OFFSET + 63] |= (byte) 0xF0; // S >= L: non-canonical
      case 5 -> r[INPUT_TOKENS_OFFSET] ^= 1; // signed field changed
      case 6 ->
          r[AGENT_OFFSET + random.nextInt(32)] ^= (byte) (1 << random.nextInt(8)); // other key
      case 7 -> { // key = the identity point (small order)
        java.util.Arrays.fill(r, AGENT_OFFSET, AGENT_OFFSET + 32, (byte) 0);
        r[AGENT_OFFSET] = 1;
      }
      case 8 -> r[CHAIN_ID_OFFSET] ^= 1; // cheap check fails: never reaches the verifier
      default -> {}
    }
    return r;
  }

  @Property(tries = 40)
  void batchPathGivesTheSingleVerifyStatuses(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int frames,
      @ForAll @IntRange(min = 0, max = 8) int damageOneIn) {
    Random random = new Random(seed);
    List<UnsafeBuffer> submits = new ArrayList<>();
    for (int f = 0; f < frames; f++) {
      List<byte[]> records = new ArrayList<>();
      int n = 1 + random.nextInt(40);
      for (int i = 0; i < n; i++) {
        boolean damage = damageOneIn > 0 && random.nextInt(damageOneIn + 1) == 0;
        records.add(record(random.nextInt(POOL), damage ? 2 + random.nextInt(7) : 0, random));
      }
      submits.add(IngressProcessorTest.submit(records));
    }
    // The reference: every frame through the inline one-by-one path.
    IngressProcessor single = new IngressProcessor(CHECKS, new SingleEd25519Verifier(), mempool());
    List<byte[]> expected = new ArrayList<>();
    UnsafeBuffer out = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME]);
    for (UnsafeBuffer frame : submits) {
      int len = single.onSubmit(frame, 0, 1, 0, IngressProcessorTest.NOW, out, 0);
      byte[] result = new byte[len];
      out.getBytes(0, result);
      expected.add(result);
    }
    // The stage's path: all frames staged, ONE batch verification, then admission per frame.
    RecordVerifier staged =
        new RecordVerifier(
            CHECKS,
            new CpuBatchSignatureVerifier(new SecureRandom(), 1 + random.nextInt(64)),
            Wire.MAX_BATCH_RECORDS);
    int[] first = new int[frames];
    for (int f = 0; f < frames; f++) {
      UnsafeBuffer frame = submits.get(f);
      first[f] =
          staged.stageSubmit(
              frame,
              Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS,
              IngressProcessor.count(frame, 0),
              IngressProcessorTest.NOW);
    }
    staged.verify();
    IngressProcessor admit =
        new IngressProcessor(
            CHECKS,
            b -> {
              throw new AssertionError("the agent must not verify");
            },
            mempool());
    UnsafeBuffer verdicts = new UnsafeBuffer(new byte[Wire.MAX_SUBMIT_RECORDS]);
    for (int f = 0; f < frames; f++) {
      UnsafeBuffer frame = submits.get(f);
      int count = IngressProcessor.count(frame, 0);
      staged.copyStatus(first[f], count, verdicts, 0);
      int len = admit.onVerifiedSubmit(frame, 0, verdicts, 0, 1, 0, out, 0);
      byte[] result = new byte[len];
      out.getBytes(0, result);
      assertThat(result).as("frame %d", f).isEqualTo(expected.get(f));
    }
    for (TxStatus s : TxStatus.values()) {
      assertThat(admit.count(s)).as("%s", s).isEqualTo(single.count(s));
    }
  }

  @Test
  void forgedSignaturesAreFoundByBisectionAndNamedBadSignature() {
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      records.add(SIGNED[i].clone());
    }
    records.get(5)[SIGNATURE_OFFSET + 40] ^= 2;
    records.get(50)[INPUT_TOKENS_OFFSET] ^= 8;
    UnsafeBuffer frame = IngressProcessorTest.submit(records);
    CpuBatchSignatureVerifier cpu = new CpuBatchSignatureVerifier();
    RecordVerifier staged = new RecordVerifier(CHECKS, cpu, 256);
    int first =
        staged.stageSubmit(
            frame, Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS, 64, IngressProcessorTest.NOW);
    staged.verify();
    for (int i = 0; i < 64; i++) {
      TxStatus expected = i == 5 || i == 50 ? TxStatus.BAD_SIGNATURE : TxStatus.ACCEPTED;
      assertThat(TxStatus.fromCode(staged.status(first + i)))
          .as("record %d", i)
          .isEqualTo(expected);
    }
    assertThat(staged.invalidSignatures(first, 64)).isEqualTo(2);
    assertThat(cpu.bisections()).isEqualTo(1);
    assertThat(cpu.items()).isEqualTo(64);
  }

  /** Steady state allocates nothing per transaction (scratch is reused; items are references). */
  @Test
  void steadyStateVerificationAllocatesAlmostNothingPerTransaction() {
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < 128; i++) {
      records.add(SIGNED[i % POOL]);
    }
    UnsafeBuffer frame = IngressProcessorTest.submit(records);
    RecordVerifier staged = new RecordVerifier(CHECKS, new CpuBatchSignatureVerifier(), 1024);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    long before = 0;
    int rounds = 30;
    int perRound = 4 * 128;
    for (int r = 0; r < 2 * rounds; r++) {
      if (r == rounds) {
        before = threads.getThreadAllocatedBytes(tid);
      }
      staged.clear();
      for (int f = 0; f < 4; f++) {
        staged.stageSubmit(
            frame, Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS, 128, IngressProcessorTest.NOW);
      }
      staged.verify();
    }
    double perTx = (threads.getThreadAllocatedBytes(tid) - before) / (double) (rounds * perRound);
    System.out.printf(
        "record verifier + cpu batch verifier: %.2f bytes allocated per transaction%n", perTx);
    assertThat(perTx).isLessThan(8.0);
  }
}
