package dev.agentledger.sig.accel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.accel.Backend;
import dev.agentledger.accel.cpu.CpuBackend;
import dev.agentledger.accel.opencl.OpenClBackend;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import dev.agentledger.sig.service.BatchRouter;
import dev.agentledger.sig.service.VerifierService;
import dev.agentledger.sig.testing.EdgeCases;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** VerifierService routing batches to an accel backend, with CPU fallback on device failure. */
class AccelBatchVerifierTest {

  /** Runs the edge-case vectors through a service whose batches of >= 8 go to backend 1. */
  private static int[] runThroughService(Backend device, LongAdder fallbacks)
      throws InterruptedException {
    List<EdgeCases.Item> items = EdgeCases.vectors();
    AtomicIntegerArray verdicts = new AtomicIntegerArray(items.size());
    CountDownLatch done = new CountDownLatch(items.size());
    try (VerifierService service =
        VerifierService.builder()
            .threads(1)
            .maxBatch(48)
            .queueCapacity(1024)
            .maxDelay(1, TimeUnit.MILLISECONDS)
            .backend(CpuBatchVerifier::new)
            .backend(AccelBatchVerifier.factory(device, fallbacks))
            .router(BatchRouter.bySize(8))
            .build()) {
      for (int i = 0; i < items.size(); i++) {
        EdgeCases.Item item = items.get(i);
        assertThat(
                service.offer(
                    item.publicKey(),
                    item.signature(),
                    item.message(),
                    i,
                    (tag, ok) -> {
                      verdicts.set((int) tag, ok ? 1 : 2);
                      done.countDown();
                    }))
            .isTrue();
      }
      assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    }
    int[] out = new int[items.size()];
    for (int i = 0; i < out.length; i++) {
      EdgeCases.Item item = items.get(i);
      assertThat(verdicts.get(i) == 1).as(item.category() + " #" + i).isEqualTo(item.expected());
      assertThat(verdicts.get(i) == 1)
          .isEqualTo(Ed25519.verify(item.publicKey(), item.signature(), item.message()));
      out[i] = verdicts.get(i);
    }
    return out;
  }

  @Test
  void aFailingBackendFallsBackToTheCpuWithoutLosingItems() throws InterruptedException {
    // accel-kernels' cpu backend has no Ed25519: every submission fails with
    // UnsupportedCapabilityException
    LongAdder fallbacks = new LongAdder();
    runThroughService(new CpuBackend(), fallbacks);
    assertThat(fallbacks.sum()).isPositive();
  }

  @Test
  void routesBatchesToOpenClWhenPresent() throws InterruptedException {
    try (OpenClBackend opencl = new OpenClBackend()) {
      org.junit.jupiter.api.Assumptions.assumeTrue(
          opencl.probe().available(),
          () -> "no OpenCL here: " + opencl.probe().reason().orElse(""));
      LongAdder fallbacks = new LongAdder();
      runThroughService(opencl, fallbacks);
      assertThat(fallbacks.sum()).isZero();
    }
  }

  @Test
  void aHostBackendBehindTheAdapterGivesTheSameVerdicts() {
    AccelBatchVerifier verifier =
        new AccelBatchVerifier(new CpuEd25519Backend(), new CpuBatchVerifier(), new LongAdder());
    assertThat(verifier.name()).isEqualTo(CpuEd25519Backend.NAME);
    dev.agentledger.sig.SignatureBatch batch = new dev.agentledger.sig.SignatureBatch(200);
    byte[] packed = new byte[32 + 64 + 10];
    List<EdgeCases.Item> items = EdgeCases.vectors().subList(0, 40);
    for (EdgeCases.Item item : items) {
      batch.add(item.publicKey(), item.signature(), item.message());
    }
    // an item given as slices of one array at offsets
    byte[] seed = new byte[32];
    byte[] msg = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    System.arraycopy(Ed25519.publicKey(seed), 0, packed, 0, 32);
    System.arraycopy(Ed25519.sign(seed, msg), 0, packed, 32, 64);
    System.arraycopy(msg, 0, packed, 96, 10);
    batch.add(packed, 0, packed, 32, packed, 96, 10);
    boolean[] verdicts = new boolean[batch.size()];
    int valid = verifier.verify(batch, verdicts);
    int expectedValid = 0;
    for (int i = 0; i < batch.size(); i++) {
      assertThat(verdicts[i]).as("#" + i).isEqualTo(batch.verifySingle(i));
      expectedValid += verdicts[i] ? 1 : 0;
    }
    assertThat(verdicts[batch.size() - 1]).isTrue();
    assertThat(valid).isEqualTo(expectedValid);
  }
}
