package dev.agentledger.sig.accel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.accel.Backend;
import dev.agentledger.accel.BackendRegistry;
import dev.agentledger.accel.Backends;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.Ed25519Batch;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.accel.Router;
import dev.agentledger.accel.cpu.CpuBackend;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.testing.EdgeCases;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** sig-verify's batch verifier seen through the accel-kernels SPI. */
class CpuEd25519BackendTest {

  @Test
  void theRegistryResolvesCpuEd25519ThroughServiceLoader() {
    try (BackendRegistry registry = BackendRegistry.discover()) {
      assertThat(registry.find(CpuEd25519Backend.NAME)).get().isInstanceOf(CpuEd25519Backend.class);
      Backend cpu = registry.byName("cpu", Capability.ED25519_VERIFY_BATCH);
      assertThat(cpu.name()).isEqualTo(CpuEd25519Backend.NAME);
      assertThat(cpu.isHost()).isTrue();
      assertThat(cpu.capabilities()).containsExactly(Capability.ED25519_VERIFY_BATCH);
      assertThat(registry.hostFor(Capability.ED25519_VERIFY_BATCH)).get().isSameAs(cpu);
      // hashing still resolves to accel-kernels' own cpu backend
      assertThat(registry.byName("cpu", Capability.MERKLE_ROOT)).isInstanceOf(CpuBackend.class);
    }
  }

  @Test
  void verdictsEqualTheSingleModeOnesOnEveryVector() {
    List<EdgeCases.Item> items = EdgeCases.vectors();
    int n = items.size();
    byte[][] p = new byte[n][], s = new byte[n][], m = new byte[n][];
    for (int i = 0; i < n; i++) {
      p[i] = items.get(i).publicKey();
      s[i] = items.get(i).signature();
      m[i] = items.get(i).message();
    }
    boolean[] verdicts = Backends.verifyEd25519(new CpuEd25519Backend(), p, s, m);
    int valid = 0;
    for (int i = 0; i < n; i++) {
      EdgeCases.Item item = items.get(i);
      assertThat(verdicts[i]).as(item.category() + " #" + i).isEqualTo(item.expected());
      assertThat(verdicts[i]).isEqualTo(Ed25519.verify(p[i], s[i], m[i]));
      valid += verdicts[i] ? 1 : 0;
    }
    assertThat(valid).isBetween(1, n - 1);
  }

  @Test
  void reusesScratchAcrossBatchesOfDifferentShapes() {
    CpuEd25519Backend backend = new CpuEd25519Backend();
    byte[] seed = new byte[32];
    for (int n : new int[] {1, 9, 3, 40, 2}) {
      byte[][] p = new byte[n][], s = new byte[n][], m = new byte[n][];
      for (int i = 0; i < n; i++) {
        seed[0] = (byte) i;
        m[i] = new byte[(n * 7 + i * 13) % 90];
        java.util.Arrays.fill(m[i], (byte) n);
        p[i] = Ed25519.publicKey(seed);
        s[i] = Ed25519.sign(seed, m[i]);
        if (i % 3 == 1) {
          s[i][5] ^= 1;
        }
      }
      boolean[] verdicts = Backends.verifyEd25519(backend, p, s, m);
      for (int i = 0; i < n; i++) {
        assertThat(verdicts[i]).as("n=%d i=%d", n, i).isEqualTo(i % 3 != 1);
      }
    }
  }

  @Test
  void aLengthBeyondTheStrideFailsTheFutureInsteadOfReadingGarbage() {
    Ed25519Batch batch = new Ed25519Batch(2, 4);
    batch.set(0, new byte[32], new byte[64], new byte[4]);
    batch.set(1, new byte[32], new byte[64], new byte[1]);
    batch.count(2);
    batch.lengths().putInt(4, 5);
    assertThatThrownBy(
            () ->
                new CpuEd25519Backend()
                    .ed25519VerifyBatch(batch, ByteBuffer.allocateDirect(2))
                    .join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theRouterFallsBackToCpuEd25519WhenTheChosenBackendFails() {
    try (BackendRegistry registry =
        new BackendRegistry().register(new CpuBackend()).register(new CpuEd25519Backend())) {
      Router router = new Router(registry, 1);
      // pretend accel's cpu backend measured fastest (skips calibration); it has no Ed25519, so
      // its submission fails like a device error and the router resubmits to the host backend
      router.table().record(Capability.ED25519_VERIFY_BATCH, CpuEd25519Backend.NAME, 1, 1.0);
      router.table().record(Capability.ED25519_VERIFY_BATCH, CpuBackend.NAME, 1, 1e12);
      byte[] seed = new byte[32];
      Ed25519Batch batch = new Ed25519Batch(4, 8);
      for (int i = 0; i < 4; i++) {
        seed[1] = (byte) i;
        byte[] msg = {(byte) i, 1, 2};
        byte[] sig = Ed25519.sign(seed, msg);
        sig[63] ^= (byte) (i == 2 ? 0x40 : 0);
        batch.set(i, Ed25519.publicKey(seed), sig, msg);
      }
      batch.count(4);
      ByteBuffer verdicts = ByteBuffer.allocateDirect(4);
      LaunchTiming timing = router.ed25519VerifyBatch(batch, verdicts).join();
      assertThat(timing.backend()).isEqualTo(CpuEd25519Backend.NAME);
      assertThat(new byte[] {verdicts.get(0), verdicts.get(1), verdicts.get(2), verdicts.get(3)})
          .containsExactly(1, 1, 0, 1);
      assertThat(router.metrics())
          .containsEntry("ed25519." + CpuEd25519Backend.NAME + ".items", 4L)
          .containsEntry("ed25519." + CpuBackend.NAME + ".fallbacks", 1L);
    }
  }
}
