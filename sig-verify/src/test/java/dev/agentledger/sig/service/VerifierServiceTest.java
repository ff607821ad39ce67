package dev.agentledger.sig.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.sig.BatchVerifier;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import dev.agentledger.sig.testing.EdgeCases;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class VerifierServiceTest {
  private static List<EdgeCases.Item> mixed(int n) {
    Random random = new Random(9);
    List<EdgeCases.Item> edge = EdgeCases.vectors();
    List<EdgeCases.Item> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i % 7 == 3) {
        out.add(edge.get(random.nextInt(edge.size())));
      } else {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        byte[] m = new byte[20];
        random.nextBytes(m);
        out.add(
            new EdgeCases.Item("honest", true, Ed25519.publicKey(seed), Ed25519.sign(seed, m), m));
      }
    }
    return out;
  }

  @Test
  void everyAcceptedItemGetsItsSingleModeVerdict() throws InterruptedException {
    List<EdgeCases.Item> items = mixed(700);
    AtomicIntegerArray verdicts =
        new AtomicIntegerArray(items.size()); // 0 none, 1 ok, 2 bad, 3+ dup
    CountDownLatch done = new CountDownLatch(items.size());
    try (VerifierService service =
        VerifierService.builder()
            .threads(2)
            .maxBatch(64)
            .queueCapacity(1024)
            .maxDelay(1, TimeUnit.MILLISECONDS)
            .build()) {
      for (int i = 0; i < items.size(); i++) {
        EdgeCases.Item item = items.get(i);
        boolean accepted =
            service.offer(
                item.publicKey(),
                item.signature(),
                item.message(),
                i,
                (tag, ok) -> {
                  verdicts.addAndGet((int) tag, ok ? 1 : 2);
                  done.countDown();
                });
        assertThat(accepted).isTrue();
      }
      assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
      VerifierMetrics.Snapshot snapshot = service.metrics().snapshot(System.nanoTime());
      assertThat(snapshot.verified()).isEqualTo(items.size());
      assertThat(snapshot.offered()).isEqualTo(items.size());
      assertThat(snapshot.rejected()).isZero();
      long bad =
          items.stream()
              .filter(it -> !Ed25519.verify(it.publicKey(), it.signature(), it.message()))
              .count();
      assertThat(snapshot.invalid()).isEqualTo(bad);
      assertThat(java.util.Arrays.stream(snapshot.batchSizeHistogram()).sum())
          .isEqualTo(snapshot.batches());
    }
    for (int i = 0; i < items.size(); i++) {
      EdgeCases.Item item = items.get(i);
      boolean single = Ed25519.verify(item.publicKey(), item.signature(), item.message());
      assertThat(verdicts.get(i)).as("item " + i).isEqualTo(single ? 1 : 2);
    }
  }

  /** A backend that waits on a gate before delegating: lets the test fill the queue. */
  static final class GatedVerifier implements BatchVerifier {
    private final CountDownLatch gate;
    private final CpuBatchVerifier cpu = new CpuBatchVerifier();

    GatedVerifier(CountDownLatch gate) {
      this.gate = gate;
    }

    @Override
    public int verify(SignatureBatch batch, boolean[] verdicts) {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return cpu.verify(batch, verdicts);
    }

    @Override
    public String name() {
      return "gated-cpu";
    }
  }

  @Test
  void fullQueueRejectsExplicitlyAndCloseDrains() throws InterruptedException {
    List<EdgeCases.Item> items = mixed(40);
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch delivered = new CountDownLatch(1);
    int accepted = 0;
    int rejected = 0;
    java.util.concurrent.atomic.AtomicInteger verdictCount =
        new java.util.concurrent.atomic.AtomicInteger();
    VerifierService service =
        VerifierService.builder()
            .threads(1)
            .maxBatch(4)
            .queueCapacity(8)
            .maxDelay(0, TimeUnit.MILLISECONDS)
            .backend(() -> new GatedVerifier(gate))
            .build();
    // first item is taken by the (blocked) thread; wait until it is out of the queue
    service.offer(
        items.get(0).publicKey(),
        items.get(0).signature(),
        items.get(0).message(),
        0,
        (t, ok) -> {
          verdictCount.incrementAndGet();
          delivered.countDown();
        });
    while (service.queueDepth() != 0) {
      Thread.onSpinWait();
    }
    accepted++;
    for (int i = 1; i < items.size(); i++) {
      EdgeCases.Item item = items.get(i);
      if (service.offer(
          item.publicKey(),
          item.signature(),
          item.message(),
          i,
          (t, ok) -> verdictCount.incrementAndGet())) {
        accepted++;
      } else {
        rejected++;
      }
    }
    assertThat(accepted).isEqualTo(1 + 8);
    assertThat(rejected).isEqualTo(items.size() - accepted);
    assertThat(service.queueDepth()).isEqualTo(8);
    assertThat(service.metrics().snapshot(System.nanoTime()).rejected()).isEqualTo(rejected);
    gate.countDown();
    service.close();
    assertThat(delivered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(verdictCount.get()).isEqualTo(accepted);
    assertThat(
            service.offer(
                items.get(0).publicKey(),
                items.get(0).signature(),
                items.get(0).message(),
                0,
                (t, ok) -> {}))
        .isFalse();
    assertThat(service.metrics().snapshot(System.nanoTime()).backends())
        .containsExactly("gated-cpu");
  }

  @Test
  void deadlineCutsAPartialBatch() throws InterruptedException {
    List<EdgeCases.Item> items = mixed(3);
    CountDownLatch done = new CountDownLatch(3);
    try (VerifierService service =
        VerifierService.builder()
            .threads(1)
            .maxBatch(1000)
            .maxDelay(5, TimeUnit.MILLISECONDS)
            .build()) {
      for (int i = 0; i < 3; i++) {
        service.offer(
            items.get(i).publicKey(),
            items.get(i).signature(),
            items.get(i).message(),
            i,
            (t, ok) -> done.countDown());
      }
      // far fewer than maxBatch: only the deadline can cut this batch
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(service.metrics().snapshot(System.nanoTime()).batchSizeHistogram()[1])
          .isEqualTo(1); // one batch of 2..3
    }
  }

  @Test
  void routerSendsLargeBatchesToTheSecondBackend() throws InterruptedException {
    List<EdgeCases.Item> items = mixed(64);
    CountDownLatch done = new CountDownLatch(items.size());
    try (VerifierService service =
        VerifierService.builder()
            .threads(1)
            .maxBatch(32)
            .maxDelay(1, TimeUnit.SECONDS)
            .backend(CpuBatchVerifier::new)
            .backend(() -> new GatedVerifier(new CountDownLatch(0)))
            .router(BatchRouter.bySize(32))
            .build()) {
      for (int i = 0; i < items.size(); i++) {
        service.offer(
            items.get(i).publicKey(),
            items.get(i).signature(),
            items.get(i).message(),
            i,
            (t, ok) -> done.countDown());
      }
      assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
      VerifierMetrics.Snapshot s = service.metrics().snapshot(System.nanoTime());
      assertThat(s.backends()).containsExactly("cpu", "gated-cpu");
      assertThat(s.backendBatches()[1]).isEqualTo(2);
      assertThat(s.backendBatches()[0]).isZero();
    }
  }
}
