package dev.agentledger.node.accel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.accel.AccelException;
import dev.agentledger.accel.Backend;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.Ed25519Batch;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.accel.ProbeResult;
import dev.agentledger.node.config.SigBackend;
import dev.agentledger.node.metrics.MetricsRegistry;
import dev.agentledger.sig.BatchVerifier;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import dev.agentledger.sig.SignatureBatch;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * sig_backend resolution: cpu never touches a device; a configured device that is unavailable is
 * one AccelException line; auto falls back to the CPU and says why; a configured device that fails
 * every batch loses none (the CPU answers), is counted on /metrics and leaves the rotation.
 */
class NodeAcceleratorsTest {

  /** A device backend: unavailable, or available and failing every submission. */
  static final class FakeDevice implements Backend {
    final String name;
    final boolean available;
    final AtomicInteger submissions = new AtomicInteger();

    FakeDevice(String name, boolean available) {
      this.name = name;
      this.available = available;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public ProbeResult probe() {
      return available
          ? ProbeResult.available(name, List.of())
          : ProbeResult.unavailable(name, "no " + name + " driver (libfake.so not found)");
    }

    @Override
    public boolean isHost() {
      return false;
    }

    @Override
    public Set<Capability> capabilities() {
      return EnumSet.of(Capability.ED25519_VERIFY_BATCH);
    }

    @Override
    public CompletableFuture<LaunchTiming> ed25519VerifyBatch(
        Ed25519Batch batch, ByteBuffer verdicts) {
      submissions.incrementAndGet();
      return CompletableFuture.failedFuture(
          new AccelException("kernel launch failed", "CUDA_ERROR_LAUNCH_FAILED (719)", null));
    }

    @Override
    public void close() {}
  }

  @Test
  void cpuVerifiesEverythingOnTheHost() {
    try (NodeAccelerators accel = NodeAccelerators.cpu()) {
      assertThat(accel.sigBackend()).isEqualTo("cpu");
      assertThat(accel.crossover()).isEqualTo(-1);
      assertThat(accel.status().toString()).startsWith("{\"sigverify\":\"cpu\"");
    }
  }

  @Test
  void aConfiguredDeviceThatIsUnavailableIsOneLineSayingWhy() {
    FakeDevice cuda = new FakeDevice("cuda", false);
    assertThatThrownBy(() -> NodeAccelerators.open(SigBackend.CUDA, name -> Optional.of(cuda)))
        .isInstanceOf(AccelException.class)
        .hasMessage("sig_backend cuda is unavailable: cuda: no cuda driver (libfake.so not found)");
  }

  @Test
  void autoFallsBackToTheCpuAndSaysWhy() {
    try (NodeAccelerators accel =
        NodeAccelerators.open(
            SigBackend.AUTO,
            name ->
                Optional.of(
                    name.equals("cuda")
                        ? new FakeDevice("cuda", false)
                        : new FakeDevice("opencl", true)))) {
      assertThat(accel.sigBackend()).isEqualTo("cpu");
      assertThat(accel.summary()).startsWith("cpu for now (auto: calibrating opencl");
      accel.calibrate();
      assertThat(accel.sigBackend()).isEqualTo("cpu");
      assertThat(accel.summary())
          .startsWith("cpu (auto chose the CPU: ")
          .contains("cuda: no cuda driver")
          .contains("opencl: slower than the CPU at every calibrated size");
    }
  }

  @Test
  void aConfiguredDeviceThatFailsEveryBatchLosesNoneAndLeavesTheRotation() {
    FakeDevice opencl = new FakeDevice("opencl", true);
    try (NodeAccelerators accel =
        NodeAccelerators.open(SigBackend.OPENCL, name -> Optional.of(opencl))) {
      assertThat(accel.sigBackend()).isEqualTo("opencl"); // until calibrated: every batch
      accel.calibrate();
      assertThat(accel.sigBackend()).isEqualTo("opencl");
      assertThat(accel.crossover()).isEqualTo(1); // never faster: serves every batch as configured
      assertThat(accel.summary()).contains("slower than the CPU at every calibrated size");
      MetricsRegistry metrics = new MetricsRegistry();
      accel.registerMetrics(metrics);
      opencl.submissions.set(0);

      Ed25519KeyPair key = Ed25519KeyPair.fromSeed(new byte[32]);
      byte[] good = "agentledger".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] signature = key.sign(good);
      byte[] forged = signature.clone();
      forged[5] ^= 1;
      SignatureBatch batch = new SignatureBatch(4);
      batch.add(key.publicKey(), signature, good);
      batch.add(key.publicKey(), forged, good);
      batch.add(
          key.publicKey(), signature, "other".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      batch.add(key.publicKey(), signature, good);
      BatchVerifier verifier = accel.verifiers().get();
      boolean[] verdicts = new boolean[4];
      for (int round = 0; round < 5; round++) {
        java.util.Arrays.fill(verdicts, round % 2 == 0);
        assertThat(verifier.verify(batch, verdicts)).isEqualTo(2);
        assertThat(verdicts).containsExactly(true, false, false, true);
        for (int i = 0; i < 4; i++) {
          assertThat(verdicts[i]).isEqualTo(batch.verifySingle(i));
        }
      }
      assertThat(opencl.submissions).hasValue(3);
      assertThat(accel.status().toString()).contains("\"outOfRotation\":[\"opencl\"]");
      String text = metrics.render();
      assertThat(text)
          .contains("agentledger_accel_errors_total{backend=\"opencl\",kernel=\"ed25519\"} 3")
          .contains("agentledger_accel_fallbacks_total{backend=\"opencl\",kernel=\"ed25519\"} 3")
          .contains("agentledger_accel_in_rotation{backend=\"opencl\",kernel=\"ed25519\"} 0")
          .contains("agentledger_accel_batches_total{backend=\"cpu-ed25519\",kernel=\"ed25519\"} 5")
          .contains("agentledger_accel_items_total{backend=\"cpu-ed25519\",kernel=\"ed25519\"} 20");
      assertThat(Ed25519.verify(key.publicKey(), signature, good)).isTrue();
    }
  }

  @Test
  void hashingStaysOnTheCpuEngineUntilCalibratedAndKeepsTheBytesOnTheDevice() {
    try (NodeAccelerators cpu = NodeAccelerators.cpu()) {
      assertThat(cpu.hashBackend()).isEqualTo("cpu-simd");
      assertThat(cpu.status().toString())
          .contains("\"batchDigest\":\"cpu-simd\"")
          .contains("\"txRoot\":\"cpu-simd\"");
      assertSameRoots(cpu.hashing());
      MetricsRegistry metrics = new MetricsRegistry();
      cpu.registerMetrics(metrics);
      assertThat(metrics.render())
          .contains(
              "agentledger_accel_batches_total{backend=\"cpu-simd\",kernel=\"merkle-level\"}");
      assertThat(cpu.router().stats(Capability.MERKLE_LEVEL, "cpu-simd").batches()).isPositive();
    }
    NodeAccelerators opencl;
    try {
      opencl = NodeAccelerators.open(SigBackend.OPENCL);
    } catch (AccelException e) {
      org.junit.jupiter.api.Assumptions.abort("no OpenCL device: " + e.getMessage());
      return;
    }
    try (opencl) {
      assertThat(opencl.hashBackend()).isEqualTo("cpu-simd"); // until the calibration says faster
      opencl.router().table().pin(Capability.MERKLE_LEVEL, "opencl", 16);
      opencl.router().table().pin(Capability.SHA256_BATCH, "opencl", 16);
      assertSameRoots(opencl.hashing());
      assertThat(opencl.router().stats(Capability.MERKLE_LEVEL, "opencl").batches()).isPositive();
      assertThat(opencl.router().stats(Capability.SHA256_BATCH, "opencl").batches()).isPositive();
    }
  }

  private static void assertSameRoots(dev.agentledger.hash.merkle.LevelHasher hasher) {
    java.util.Random random = new java.util.Random(20);
    for (int n : new int[] {1, 2, 5, 16, 17, 100, 1024, 4096}) {
      List<byte[]> leaves = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        byte[] leaf = new byte[32];
        random.nextBytes(leaf);
        leaves.add(leaf);
      }
      assertThat(dev.agentledger.hash.merkle.MerkleTree.build(leaves, hasher).root())
          .as("n=%d", n)
          .isEqualTo(dev.agentledger.hash.merkle.MerkleTree.build(leaves).root());
    }
  }
}
