package dev.agentledger.accel.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.accel.AbstractBackendTest;
import dev.agentledger.accel.Backend;
import dev.agentledger.accel.LaunchTiming;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Runs the conformance suite on the OpenCL device (PoCL's CPU device here and in CI; skipped with
 * the probe's reason when no OpenCL platform exists: run bin/setup-host as root).
 */
class OpenClBackendTest extends AbstractBackendTest {
  @Override
  protected Backend create() {
    return new OpenClBackend();
  }

  @Test
  void probeDescribesTheDevice() {
    var device = backend.probe().device().orElseThrow();
    assertThat(device.name()).isNotBlank();
    assertThat(device.computeUnits()).isPositive();
    assertThat(device.globalMemoryBytes()).isPositive();
    assertThat(device.runtimeVersion()).contains("OpenCL");
  }

  @Test
  void timingComesFromDeviceEvents() {
    int n = 256;
    LaunchTiming t =
        backend
            .merkleRoot(ByteBuffer.allocateDirect(32 * n), n, ByteBuffer.allocateDirect(32))
            .join();
    assertThat(t.launches()).isEqualTo(2); // log2(256) = 8 levels in two fused launches (7 + 1)
    assertThat(t.kernelNs()).isPositive();
    assertThat(t.uploadNs()).isNotNegative();
    assertThat(t.bytesIn()).isEqualTo(32L * n);
  }

  @Test
  void pinnedHostBuffersFeedLaunches() {
    ByteBuffer in = backend.allocateHostBuffer(3 * 100);
    ByteBuffer out = backend.allocateHostBuffer(32 * 3);
    assertThat(in.capacity()).isEqualTo(300);
    for (int i = 0; i < 300; i++) {
      in.put(i, (byte) i);
    }
    backend.sha256Batch(in, 100, 3, out).join();
    byte[] got = new byte[32];
    out.get(64, got);
    byte[] third = new byte[100];
    in.get(200, third);
    assertThat(got).isEqualTo(dev.agentledger.accel.Rfc6962Reference.sha256(third));
  }
}
