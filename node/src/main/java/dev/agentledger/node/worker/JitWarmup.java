package dev.agentledger.node.worker;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.consensus.Ed25519Signatures;
import dev.agentledger.node.consensus.core.RangeVerifier;
import dev.agentledger.node.ingress.CpuBatchSignatureVerifier;
import dev.agentledger.node.ingress.RecordVerifier;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.worker.core.BatchCertificate;
import dev.agentledger.node.worker.core.BatchDigester;
import dev.agentledger.node.worker.core.CertificateVerifier;
import dev.agentledger.node.worker.core.VerifiedCertificates;
import dev.agentledger.sig.Ed25519KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Runs the node's hot code on throw-away data before the node serves, so the JIT has compiled it
 * (C2, with the Vector API intrinsified) when the first transactions arrive. Without it a fresh
 * validator verifies signatures up to fifty times slower for its first tens of seconds (measured on
 * the 2-core demo machine: 838 µs per signature in the verify stage of a node that had seen only a
 * few hundred, against about 20 µs warm), and on a small machine hosting several validators that
 * start together the compiler threads then compete with the load.
 *
 * <p>Exercised, on the paths the node uses: batch verification of AgentRun records in batches of 1
 * to 64 ({@link RecordVerifier} over {@link CpuBatchSignatureVerifier}, as in the verify stage and
 * execution), Ed25519 signing and single verification (acknowledgements, votes), consensus
 * signature ranges ({@link Ed25519Signatures#batchVerifier}), worker batch certificates ({@link
 * CertificateVerifier}), batch digests (SIMD SHA-256, RFC 6962 trees) and state-tree updates
 * ({@code SmtStateStore}: its levels of eight nodes or more go through the multi-buffer SHA-256),
 * all within the time budget. Every key is generated here; nothing is stored or sent. Correctness
 * is checked as it goes: a warm-up that sees a wrong verdict throws, so a broken build fails at
 * start.
 */
public final class JitWarmup {
  /** What one warm-up did. */
  public record Result(int rounds, long signaturesVerified, long elapsedMs) {}

  private static final int[] BATCH_SIZES = {1, 3, 8, 64};

  private JitWarmup() {}

  /** Runs rounds until {@code budgetMs} has passed or {@code maxRounds} are done. */
  public static Result run(long budgetMs, int maxRounds) {
    long start = System.nanoTime();
    long deadline = start + budgetMs * 1_000_000L;
    int chain = 0x5741524d;
    // AgentRun records signed by a few agents, laid out as in a frame
    int records = 64;
    UnsafeBuffer frame = new UnsafeBuffer(new byte[records * AgentRunDescriptor.ENCODED_LENGTH]);
    for (int i = 0; i < records; i++) {
      Ed25519KeyPair agent = Ed25519KeyPair.fromSeed(seed(i % 8 + 1));
      byte[] run =
          new AgentRunBuilder()
              .chainId(chain)
              .nonce(i)
              .startedAt(1_000 + i)
              .endedAt(2_000 + i)
              .sign(agent);
      frame.putBytes(i * AgentRunDescriptor.ENCODED_LENGTH, run);
    }
    RecordVerifier recordVerifier =
        new RecordVerifier(null, new CpuBatchSignatureVerifier(), records);
    // a committee of four for consensus signatures and batch certificates
    Ed25519KeyPair[] validators = new Ed25519KeyPair[4];
    List<byte[]> publicKeys = new ArrayList<>();
    for (int v = 0; v < 4; v++) {
      validators[v] = Ed25519KeyPair.fromSeed(seed(100 + v));
      publicKeys.add(validators[v].publicKey());
    }
    Committee committee = Committee.ofStakes(0, publicKeys, new long[] {1, 1, 1, 1});
    RangeVerifier consensus = Ed25519Signatures.batchVerifier(committee);
    dev.agentledger.node.consensus.core.MessageSignatures consensusItems =
        new dev.agentledger.node.consensus.core.MessageSignatures();
    CertificateVerifier certificates =
        new CertificateVerifier(committee, chain, new VerifiedCertificates(16));
    BatchDigester digester = new BatchDigester();
    byte[] digest = new byte[32];
    byte[] ack = new byte[BatchCertificate.ACK_MESSAGE_LENGTH];
    dev.agentledger.node.execution.state.SmtStateStore state =
        dev.agentledger.node.execution.state.SmtStateStore.inMemory(4);
    byte[][] keys = new byte[64][32];
    byte[] value = new byte[90];
    long verified = 0;
    int round = 0;
    while (round < maxRounds && System.nanoTime() - deadline < 0) {
      int size = BATCH_SIZES[round % BATCH_SIZES.length];
      recordVerifier.clear();
      recordVerifier.stageRecords(frame, 0, size);
      recordVerifier.verify();
      expect(
          recordVerifier.invalidSignatures(0, size) == 0, "a valid AgentRun signature was refused");
      verified += size;

      digester.digest(round % 4, round, frame, 0, size, digest);
      BatchCertificate.ackMessage(chain, round % 4, round, digest, size, ack);
      int[] signers = {0, 1, 2};
      byte[][] sigs = new byte[3][];
      consensusItems.clear();
      for (int s = 0; s < 3; s++) {
        sigs[s] = validators[s].sign(ack);
        consensusItems.add(s, s, ack, sigs[s]);
      }
      expect(
          certificates.verify(new BatchCertificate(round % 4, round, digest, size, signers, sigs))
              == null,
          "a valid batch certificate was refused");
      consensus.verifyRange(consensusItems, 0, 3);
      boolean[] ok = {true, true, true};
      consensusItems.ownerValid(ok);
      expect(ok[0] && ok[1] && ok[2], "a valid consensus signature was refused");
      verified += 6;

      for (int k = 0; k < keys.length; k++) {
        keys[k][0] = (byte) (k * 4);
        keys[k][1] = (byte) round;
        keys[k][2] = (byte) (round >>> 8);
        value[0] = (byte) round;
        state.write(keys[k], value, value.length);
      }
      state.root();
      round++;
    }
    return new Result(round, verified, (System.nanoTime() - start) / 1_000_000L);
  }

  private static byte[] seed(int n) {
    byte[] s = new byte[32];
    s[0] = (byte) n;
    s[31] = 0x57;
    return s;
  }

  private static void expect(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(
          "JIT warm-up: " + what + " (the build's Ed25519 or hashing is broken)");
    }
  }
}
