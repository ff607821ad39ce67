package dev.agentledger.sig.accel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.accel.Capability;
import dev.agentledger.accel.Ed25519Batch;
import dev.agentledger.accel.Workloads;
import dev.agentledger.sig.Ed25519;
import org.junit.jupiter.api.Test;

/**
 * The Ed25519 inputs of {@code kernels bench} and the router's calibration ({@link Workloads}):
 * valid by default, and with {@code invalidPercent} the invalid items are exactly the ones the
 * single-mode verifier rejects, whatever the batch verifier does with them.
 */
class Ed25519WorkloadTest {
  private static final Capability ED25519 = Capability.ED25519_VERIFY_BATCH;

  @Test
  void everySignatureIsValidByDefault() {
    for (int messageBytes : new int[] {0, 64, 256}) {
      Workloads.Workload work = Workloads.prepare(ED25519, 1100, messageBytes);
      Ed25519Batch batch = work.ed25519Batch();
      for (int i = 0; i < batch.count(); i++) {
        assertThat(Ed25519.verify(batch.publicKey(i), batch.signature(i), batch.message(i)))
            .as("item %d of %d-byte messages", i, messageBytes)
            .isTrue();
      }
      work.run(new CpuEd25519Backend()).join();
      for (int i = 0; i < batch.count(); i++) {
        assertThat(work.output().get(i)).as("batch verdict %d", i).isEqualTo((byte) 1);
      }
    }
  }

  @Test
  void theInvalidMixIsRejectedItemByItem() {
    for (int messageBytes : new int[] {0, 256}) {
      Workloads.Workload work = Workloads.prepare(ED25519, 512, messageBytes, 25);
      Ed25519Batch batch = work.ed25519Batch();
      work.run(new CpuEd25519Backend()).join();
      int invalid = 0;
      for (int i = 0; i < batch.count(); i++) {
        boolean single = Ed25519.verify(batch.publicKey(i), batch.signature(i), batch.message(i));
        invalid += single ? 0 : 1;
        assertThat(work.output().get(i)).as("verdict %d", i).isEqualTo((byte) (single ? 1 : 0));
      }
      assertThat(invalid).isBetween(512 / 8, 512 / 2);
      Workloads.Workload all = Workloads.prepare(ED25519, 64, messageBytes, 100);
      all.run(new CpuEd25519Backend()).join();
      for (int i = 0; i < 64; i++) {
        assertThat(all.output().get(i)).isZero();
      }
    }
  }
}
