package dev.agentledger.accel.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.accel.KernelSources;
import dev.agentledger.accel.ProbeResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The build packages an nvcc fatbin with sm_80 and sm_90 code and compute_90 PTX; the probe never
 * throws.
 */
class CudaPackagingTest {
  private static boolean nvccOnPath() {
    for (String dir :
        (System.getenv().getOrDefault("PATH", "") + ":/usr/local/cuda/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvcc"))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void fatbinHoldsSm80Sm90AndPtx() {
    byte[] fatbin = KernelSources.resourceBytes(CudaBackend.FATBIN);
    if (fatbin == null) {
      assertThat(nvccOnPath())
          .as("nvcc is on the PATH, so the build must have produced the fatbin")
          .isFalse();
      assumeTrue(false, "no nvcc at build time: fatbin not built");
    }
    // fatbin container: u32 magic 0xBA55ED50, u16 version, u16 header size, u64 payload size; then
    // entries: u16 kind (1 PTX, 2 ELF), u16, u32 entry header size, u64 size, ..., u32 arch at +28.
    ByteBuffer b = ByteBuffer.wrap(fatbin).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt(0)).isEqualTo(0xBA55ED50);
    int offset = Short.toUnsignedInt(b.getShort(6));
    long end = offset + b.getLong(8);
    Set<String> entries = new HashSet<>();
    while (offset < end) {
      int kind = Short.toUnsignedInt(b.getShort(offset));
      int headerSize = b.getInt(offset + 4);
      long size = b.getLong(offset + 8);
      int arch = b.getInt(offset + 28);
      entries.add((kind == 1 ? "ptx" : kind == 2 ? "sass" : "kind" + kind) + "_" + arch);
      offset += headerSize + (int) size;
    }
    assertThat(entries).contains("sass_80", "sass_90", "ptx_90");
  }

  @Test
  void probeReportsAReasonInsteadOfThrowing() {
    try (CudaBackend cuda = new CudaBackend()) {
      ProbeResult probe = cuda.probe();
      if (!probe.available()) {
        assertThat(probe.reason()).isPresent();
        assertThat(probe.reason().orElseThrow()).isNotBlank();
      } else {
        assertThat(probe.device()).isPresent();
      }
    }
  }
}
