package dev.agentledger.accel.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.accel.AbstractBackendTest;
import dev.agentledger.accel.Backend;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.UnsupportedCapabilityException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class CpuBackendTest extends AbstractBackendTest {
  @Override
  protected Backend create() {
    return new CpuBackend();
  }

  @Test
  void reportsEd25519AsAbsent() {
    assertThat(backend.supports(Capability.ED25519_VERIFY_BATCH)).isFalse();
    assertThat(backend.probe().available()).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                backend
                    .ed25519VerifyBatch(
                        dev.agentledger.accel.Ed25519Batch.of(
                            new byte[0][], new byte[0][], new byte[0][]),
                        ByteBuffer.allocate(1))
                    .join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(UnsupportedCapabilityException.class);
  }
}
