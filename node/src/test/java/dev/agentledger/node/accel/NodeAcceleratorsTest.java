package dev.agentledger.node.accel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.accel.AccelException;
import dev.agentledger.accel.AutoPolicy;
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
          .contains("opencl [opencl]: not 1.5x cheaper per signature than the CPU");
    }
  }

  /**
   * A device backend that verifies each item with the CPU's single verify and reports the wall time
   * it is told to: fast while calibrating, then as slow as the test wants.
   */
  static final class ScriptedDevice implements Backend {
    volatile long reportedNsPerItem = 1;
    final AtomicInteger batches = new AtomicInteger();

    @Override
    public String name() {
      return "opencl";
    }

    @Override
    public ProbeResult probe() {
      return ProbeResult.available("opencl", List.of());
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
      batches.incrementAndGet();
      int n = batch.count();
      int stride = batch.maxMessageBytes();
      for (int i = 0; i < n; i++) {
        byte[] key = new byte[32], signature = new byte[64];
        byte[] message = new byte[batch.lengths().getInt(4 * i)];
        batch.publicKeys().get(32 * i, key);
        batch.signatures().get(64 * i, signature);
        batch.messages().get(stride * i, message);
        verdicts.put(i, Ed25519.verify(key, signature, message) ? (byte) 1 : (byte) 0);
      }
      long ns = reportedNsPerItem * n;
      return CompletableFuture.completedFuture(
          new LaunchTiming("opencl", "scripted", n, 1, 0, 0, 0, ns, 0, ns));
    }

    @Override
    public void close() {}
  }

  @Test
  void autoSwitchesADeviceThatIsSlowerOnLiveBatchesBackToTheCpuAndCalibratesAgainLater() {
    ScriptedDevice device = new ScriptedDevice();
    AutoPolicy.Settings settings = new AutoPolicy.Settings(1.5, 1.0, 3, 16, 4, 2, 0, 4, 0, 0);
    try (NodeAccelerators accel =
        NodeAccelerators.open(SigBackend.AUTO, name -> Optional.of(device), settings)) {
      accel.calibrate(); // 1 ns per signature: the device wins at every size
      assertThat(accel.sigBackend()).isEqualTo("opencl");
      assertThat(accel.crossover()).isEqualTo(16);
      assertThat(accel.summary()).startsWith("opencl (auto, first available of cuda, opencl");

      device.reportedNsPerItem = 1_000_000_000L; // now 1 s per signature on live batches
      SignatureBatch batch = new SignatureBatch(32);
      Ed25519KeyPair key = Ed25519KeyPair.fromSeed(new byte[32]);
      for (int i = 0; i < 32; i++) {
        byte[] message = new byte[] {(byte) i, 7};
        byte[] signature = key.sign(message);
        if (i % 5 == 0) {
          signature[3] ^= 1;
        }
        batch.add(key.publicKey(), signature, message);
      }
      BatchVerifier verifier = accel.verifiers().get();
      boolean[] verdicts = new boolean[32];
      int rounds = 0;
      while (accel.sigBackend().equals("opencl") && rounds < 200) {
        assertThat(verifier.verify(batch, verdicts)).isEqualTo(25);
        for (int i = 0; i < 32; i++) {
          assertThat(verdicts[i]).isEqualTo(i % 5 != 0);
        }
        rounds++;
      }
      // 4 host samples (one batch in 4) and 2 failed checks in a row
      assertThat(accel.sigBackend()).isEqualTo("cpu");
      assertThat(rounds).isBetween(16, 20);
      assertThat(accel.autoSwitches()).isEqualTo(1);
      assertThat(accel.crossover()).isEqualTo(-1);
      assertThat(accel.summary())
          .startsWith("cpu (auto switched opencl off: device median 1,000,000,000 ns/item");
      assertThat(accel.status().toString()).contains("\"autoSwitches\":1");
      int deviceBatches = device.batches.get();
      for (int round = 0; round < 10; round++) {
        assertThat(verifier.verify(batch, verdicts)).isEqualTo(25);
      }
      assertThat(device.batches).hasValue(deviceBatches); // the CPU serves every batch now

      // a later calibration the device loses keeps the CPU; one it wins by the margin returns
      List<String> lines = new java.util.ArrayList<>();
      accel.recalibrate(lines::add);
      assertThat(accel.sigBackend()).isEqualTo("cpu");
      assertThat(lines.get(0)).startsWith("sig backend recalibrated: cpu (auto chose the CPU: ");
      device.reportedNsPerItem = 1;
      accel.recalibrate(lines::add);
      assertThat(accel.sigBackend()).isEqualTo("opencl");
      assertThat(lines.get(1)).startsWith("sig backend recalibrated: opencl (auto");
    }
  }

  @Test
  void autoOnThisMachineKeepsTheCpuAgainstAnOpenClCpuDevice() {
    dev.agentledger.accel.opencl.OpenClBackend probe =
        new dev.agentledger.accel.opencl.OpenClBackend();
    ProbeResult found = probe.probe();
    probe.close();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        found.available(), () -> "no OpenCL device: " + found.reason().orElse("?"));
    try (NodeAccelerators accel = NodeAccelerators.open(SigBackend.AUTO)) {
      assertThat(accel.summary()).startsWith("cpu for now (auto: calibrating");
      accel.calibrate();
      assertThat(accel.sigBackend()).isEqualTo("cpu");
      assertThat(accel.crossover()).isEqualTo(-1);
      assertThat(accel.summary())
          .startsWith("cpu (auto chose the CPU: ")
          .contains("opencl [")
          .contains(
              "not 1.5x cheaper per signature than the CPU at any calibrated size (1024: host")
          .contains(
              "hashing on cpu-simd (opencl not 1.5x cheaper per tree node at any size: 65536:");
      assertThat(accel.hashBackend()).isEqualTo("cpu-simd");
      MetricsRegistry metrics = new MetricsRegistry();
      accel.registerMetrics(metrics);
      long deviceBatches =
          accel.router().stats(Capability.ED25519_VERIFY_BATCH, "opencl").batches();
      SignatureBatch batch = new SignatureBatch(1024);
      Ed25519KeyPair key = Ed25519KeyPair.fromSeed(new byte[32]);
      for (int i = 0; i < 1024; i++) {
        byte[] message = new byte[] {(byte) i, (byte) (i >>> 8)};
        batch.add(key.publicKey(), key.sign(message), message);
      }
      BatchVerifier verifier = accel.verifiers().get();
      boolean[] verdicts = new boolean[1024];
      for (int round = 0; round < 3; round++) {
        assertThat(verifier.verify(batch, verdicts)).isEqualTo(1024);
      }
      assertThat(accel.router().stats(Capability.ED25519_VERIFY_BATCH, "opencl").batches())
          .isEqualTo(deviceBatches);
      assertThat(metrics.render())
          .contains(
              "agentledger_accel_batches_total{backend=\"cpu-ed25519\",kernel=\"ed25519\"} 3");
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
