package dev.agentledger.node.ingress;

import dev.agentledger.sig.BatchVerifier;
import dev.agentledger.sig.SignatureBatch;
import java.util.Objects;

/**
 * {@link BatchSignatureVerifier} over a sig-verify {@link BatchVerifier}, in {@code node run} the
 * routed one of {@link dev.agentledger.node.accel.NodeAccelerators} (CPU below the crossover, the
 * configured device from it, the CPU again when the device fails). The batch is cut into chunks of
 * at most {@code chunkSize} items, each one call of the backend. Not thread-safe: one instance per
 * thread. Nothing is allocated per item: the items are references into the batch's flat arrays.
 */
public final class RoutedBatchSignatureVerifier implements BatchSignatureVerifier {
  private final BatchVerifier backend;
  private final SignatureBatch items;
  private final boolean[] verdicts;

  public RoutedBatchSignatureVerifier(BatchVerifier backend, int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be positive: " + chunkSize);
    }
    this.backend = Objects.requireNonNull(backend);
    this.items = new SignatureBatch(chunkSize);
    this.verdicts = new boolean[chunkSize];
  }

  @Override
  public void verify(RunSignatureBatch batch) {
    batch.verifyInChunks(backend, items, verdicts);
  }
}
