package dev.agentledger.sig;

/**
 * A backend that verifies a {@link SignatureBatch} and reports one verdict per item, identical to
 * what {@link Ed25519#verify} returns for that item alone (ZIP-215; see package-info). The CPU
 * implementation is {@link dev.agentledger.sig.batch.CpuBatchVerifier}; accelerator backends
 * (accel-kernels) implement the same contract and must pass the same agreement tests.
 *
 * <p>Instances are used by one thread at a time (they own scratch memory); a service creates one
 * per worker thread through a {@link java.util.function.Supplier}.
 */
public interface BatchVerifier {
  /**
   * Verifies items [0, batch.size()) and writes {@code verdicts[i]} for each.
   *
   * @return the number of valid items
   */
  int verify(SignatureBatch batch, boolean[] verdicts);

  /** A short name for metrics and the CLI ({@code cpu}, {@code opencl}, ...). */
  String name();
}
