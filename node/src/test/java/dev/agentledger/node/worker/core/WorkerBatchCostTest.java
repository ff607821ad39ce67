package dev.agentledger.node.worker.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.ingress.SingleEd25519Verifier;
import dev.agentledger.node.mempool.core.Mempool;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.MessageType;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.storage.memory.InMemoryStore;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.sig.Ed25519KeyPair;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fixed cost per batch of four pure workers under a steady load, over a simulated network with
 * a one-way delay (a discrete-event run in 1 ms steps; peer batches enter through {@link
 * Worker#onVerifiedBatch}, as behind the node's verify stage, so the per-transaction signature
 * checks are left out and what remains is what a batch costs). The self-clocked rule ({@link
 * WorkerConfig#maxPartialInFlight} 1) against the rule without it (a partial batch at every delay,
 * up to {@code maxPendingBatches}): the counts are deterministic; the CPU time is printed for the
 * record, never asserted. Tagged slow: seconds of signing on a quiet machine, minutes on a loaded
 * one.
 */
class WorkerBatchCostTest {
  static final int CHAIN = 3;
  static final long MS = 1_000_000L;
  static final int VALIDATORS = 4;

  record Frame(long atNs, long order, int from, int to, byte[] bytes) {}

  record Cost(
      long txs,
      long certifiedTxs,
      long batches,
      long acks,
      long frames,
      long bytes,
      long certSignatures,
      long cpuNs) {
    String line(String name) {
      return String.format(
          Locale.ROOT,
          "%-28s txs %,d  batches %,d (%.1f tx/batch)  signatures per tx: signed %.3f, certificate"
              + " checks %.3f  frames/tx %.2f  bytes/tx %.0f  worker CPU %.1f us/tx",
          name,
          txs,
          batches,
          (double) txs / Math.max(1, batches),
          (double) (batches + acks) / txs,
          (double) certSignatures / txs,
          (double) frames / txs,
          (double) bytes / txs,
          cpuNs / 1e3 / txs / VALIDATORS);
    }
  }

  /**
   * Runs {@code ratePerValidator} transactions a second into each validator for {@code seconds},
   * then lets everything certify; frames arrive {@code oneWayMs} after they are sent.
   */
  static Cost run(int maxPartialInFlight, int ratePerValidator, int seconds, int oneWayMs) {
    Committee committee = TestKeys.committee(VALIDATORS, new int[VALIDATORS], new int[VALIDATORS]);
    PriorityQueue<Frame> network =
        new PriorityQueue<>(
            (a, b) ->
                a.atNs() != b.atNs()
                    ? Long.compare(a.atNs(), b.atNs())
                    : Long.compare(a.order(), b.order()));
    long[] clock = {0};
    long[] order = {0};
    long[] frames = {0};
    long[] bytes = {0};
    long[] certified = {0};
    List<Worker> workers = new ArrayList<>();
    List<Mempool> mempools = new ArrayList<>();
    List<CertificateVerifier> verifiers = new ArrayList<>();
    for (int i = 0; i < VALIDATORS; i++) {
      int self = i;
      Mempool mempool =
          new Mempool(new MempoolConfig(4096, 4096, 4096, 16, 0, 0, 16, 0, 0, 16, 0, 0));
      CertificateVerifier certificates =
          new CertificateVerifier(committee, CHAIN, new VerifiedCertificates(1 << 14));
      mempools.add(mempool);
      verifiers.add(certificates);
      workers.add(
          new Worker(
              i,
              CHAIN,
              committee,
              TestKeys.key(i),
              new InMemoryStore(),
              mempool,
              new WorkerConfig(1000, 20 * MS, 500 * MS, 32, maxPartialInFlight),
              (peer, frame, offset, length) -> {
                byte[] copy = new byte[length];
                frame.getBytes(offset, copy);
                network.add(new Frame(clock[0] + oneWayMs * MS, order[0]++, self, peer, copy));
                frames[0]++;
                bytes[0] += length;
                return true;
              },
              c -> {
                if (self == 0) {
                  certified[0] += c.txCount();
                }
              },
              new SingleEd25519Verifier(),
              certificates));
    }
    // One agent per validator, nonces in order: the mempool holds them ready at once.
    List<List<byte[]>> runs = new ArrayList<>();
    int perValidator = ratePerValidator * seconds;
    for (int v = 0; v < VALIDATORS; v++) {
      byte[] seed = new byte[32];
      seed[0] = (byte) (v + 1);
      seed[1] = 7;
      Ed25519KeyPair agent = Ed25519KeyPair.fromSeed(seed);
      List<byte[]> mine = new ArrayList<>();
      for (int n = 0; n < perValidator; n++) {
        mine.add(new AgentRunBuilder().chainId(CHAIN).nonce(n).startedAt(1).endedAt(2).sign(agent));
      }
      runs.add(mine);
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpu0 = mx.getCurrentThreadCpuTime();
    int[] offered = new int[VALIDATORS];
    long endNs = (seconds + 2) * 1_000L * MS;
    for (long now = 0; now <= endNs; now += MS) {
      clock[0] = now;
      for (int v = 0; v < VALIDATORS; v++) {
        long due = Math.min(perValidator, (now / MS + 1) * ratePerValidator / 1000);
        while (offered[v] < due) {
          mempools.get(v).offer(new UnsafeBuffer(runs.get(v).get(offered[v]++)), 0, -1, now);
        }
        workers.get(v).onTick(now);
        workers.get(v).flush();
      }
      while (!network.isEmpty() && network.peek().atNs() <= now) {
        Frame f = network.poll();
        UnsafeBuffer b = new UnsafeBuffer(f.bytes());
        Worker to = workers.get(f.to());
        switch (Wire.type(b, 0)) {
          case MessageType.BATCH -> to.onVerifiedBatch(f.from(), b, 0, f.bytes().length);
          case MessageType.BATCH_ACK -> to.onAck(f.from(), b, 0);
          case MessageType.BATCH_CERT -> to.onCertificate(f.from(), b, 0, now);
          case MessageType.BATCH_REQUEST -> to.onBatchRequest(f.from(), b, 0);
          default -> throw new AssertionError("unexpected frame type");
        }
        to.flush();
      }
    }
    long cpuNs = mx.getCurrentThreadCpuTime() - cpu0;
    long txs = 0;
    long batches = 0;
    long acks = 0;
    long certSignatures = 0;
    for (int v = 0; v < VALIDATORS; v++) {
      txs += workers.get(v).sealedTxs();
      batches += workers.get(v).sealedBatches();
      acks += workers.get(v).acksSent();
      certSignatures += verifiers.get(v).signaturesVerified();
    }
    return new Cost(txs, certified[0], batches, acks, frames[0], bytes[0], certSignatures, cpuNs);
  }

  @Test
  @Tag("slow")
  void underARoundTripLongerThanTheDelayTheSelfClockedRuleSealsFewerBatchesAndLosesNothing() {
    int rate = 250; // per validator: 1,000 tps for the committee
    int seconds = 3;
    run(1, rate, 1, 25); // JIT warm-up of both paths, not counted
    run(32, rate, 1, 25);
    List<String> lines = new ArrayList<>();
    Cost before = null;
    Cost after = null;
    for (int oneWayMs : new int[] {2, 25}) {
      Cost unclocked = run(32, rate, seconds, oneWayMs);
      Cost clocked = run(1, rate, seconds, oneWayMs);
      lines.add(unclocked.line("partial at every delay, " + oneWayMs + " ms"));
      lines.add(clocked.line("self-clocked, " + oneWayMs + " ms"));
      for (Cost c : List.of(unclocked, clocked)) {
        assertThat(c.txs()).isEqualTo((long) VALIDATORS * rate * seconds);
        assertThat(c.certifiedTxs()).as("every sealed run certified").isEqualTo(c.txs());
      }
      if (oneWayMs == 2) {
        // The round trip (4 ms) is shorter than the delay (20 ms): the same batches either way.
        assertThat(clocked.batches()).isEqualTo(unclocked.batches());
      } else {
        before = unclocked;
        after = clocked;
      }
    }
    lines.forEach(System.out::println);
    // A 50 ms round trip against a 20 ms delay: one partial batch per round trip instead of one
    // per delay.
    assertThat(after.batches() * 2).isLessThan(before.batches());
    assertThat(after.frames() * 2).isLessThan(before.frames());
  }
}
