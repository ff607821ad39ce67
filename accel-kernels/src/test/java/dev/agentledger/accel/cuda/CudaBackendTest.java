package dev.agentledger.accel.cuda;

import dev.agentledger.accel.AbstractBackendTest;
import dev.agentledger.accel.Backend;
import org.junit.jupiter.api.Tag;

/**
 * The conformance suite on a real NVIDIA GPU. In the gpu lane only ({@code -Dgroups=gpu}); skipped
 * with the probe's reason when no device exists. It has not run in this repository's CI.
 */
@Tag("gpu")
class CudaBackendTest extends AbstractBackendTest {
  @Override
  protected Backend create() {
    return new CudaBackend();
  }
}
