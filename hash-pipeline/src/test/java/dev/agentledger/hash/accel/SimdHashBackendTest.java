package dev.agentledger.hash.accel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.accel.Backend;
import dev.agentledger.accel.BackendRegistry;
import dev.agentledger.accel.Backends;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.accel.cpu.CpuBackend;
import dev.agentledger.hash.Sha256Engines;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The multi-buffer engine as a host Backend, against accel-kernels' JDK MessageDigest backend. */
class SimdHashBackendTest {
  private final Random random = new Random(0x5EED);
  private final Backend jdk = new CpuBackend();

  private ByteBuffer randomBuffer(int bytes) {
    byte[] a = new byte[bytes];
    random.nextBytes(a);
    return ByteBuffer.allocateDirect(Math.max(1, bytes)).put(0, a);
  }

  private static byte[] bytes(ByteBuffer b, int n) {
    byte[] out = new byte[n];
    b.get(0, out);
    return out;
  }

  @Test
  void discoveredByServiceLoaderWithItsCapabilities() {
    try (BackendRegistry registry = BackendRegistry.discover()) {
      Backend simd = registry.byName(SimdHashBackend.NAME, Capability.MERKLE_ROOT);
      assertThat(simd).isInstanceOf(SimdHashBackend.class);
      assertThat(simd.isHost()).isTrue();
      assertThat(simd.capabilities())
          .containsExactlyInAnyOrder(
              Capability.SHA256_BATCH, Capability.MERKLE_LEVEL, Capability.MERKLE_ROOT);
      assertThat(registry.providing(Capability.SHA256_BATCH)).contains(simd);
    }
  }

  @Test
  void sha256BatchEqualsTheJdkOnFixedSizes() {
    for (Backend simd : List.of(new SimdHashBackend(), new SimdHashBackend(Sha256Engines.simd()))) {
      for (int messageBytes : new int[] {0, 1, 32, 33, 55, 56, 64, 65, 119, 200}) {
        for (int count : new int[] {0, 1, 7, 16, 33}) {
          ByteBuffer in = randomBuffer(messageBytes * count);
          ByteBuffer want = ByteBuffer.allocateDirect(32 * count + 1);
          ByteBuffer got = ByteBuffer.allocateDirect(32 * count + 1);
          jdk.sha256Batch(in, messageBytes, count, want).join();
          LaunchTiming t = simd.sha256Batch(in, messageBytes, count, got).join();
          assertThat(bytes(got, 32 * count))
              .as("%d x %d", count, messageBytes)
              .isEqualTo(bytes(want, 32 * count));
          assertThat(t.backend()).isEqualTo(SimdHashBackend.NAME);
          assertThat(t.items()).isEqualTo(count);
        }
      }
    }
  }

  @Test
  void merkleLevelAndRootEqualTheJdk() {
    Backend simd = new SimdHashBackend(Sha256Engines.simd());
    for (int count = 1; count <= 70; count++) {
      ByteBuffer nodes = randomBuffer(32 * count);
      int parents = (count + 1) / 2;
      ByteBuffer want = ByteBuffer.allocateDirect(32 * parents);
      ByteBuffer got = ByteBuffer.allocateDirect(32 * parents);
      jdk.merkleLevel(nodes, count, want).join();
      simd.merkleLevel(nodes, count, got).join();
      assertThat(bytes(got, 32 * parents))
          .as("level of %d", count)
          .isEqualTo(bytes(want, 32 * parents));
      ByteBuffer wantRoot = ByteBuffer.allocateDirect(32);
      ByteBuffer gotRoot = ByteBuffer.allocateDirect(32);
      jdk.merkleRoot(nodes, count, wantRoot).join();
      simd.merkleRoot(nodes, count, gotRoot).join();
      assertThat(bytes(gotRoot, 32)).as("root of %d", count).isEqualTo(bytes(wantRoot, 32));
    }
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      leaves.add(new byte[] {(byte) i, (byte) (i >> 8)});
    }
    assertThat(Backends.merkleRootOfLeaves(simd, leaves))
        .isEqualTo(Backends.merkleRootOfLeaves(jdk, leaves));
    assertThat(simd.merkleRoot(ByteBuffer.allocateDirect(32), 0, ByteBuffer.allocateDirect(32)))
        .isCompletedExceptionally();
  }
}
