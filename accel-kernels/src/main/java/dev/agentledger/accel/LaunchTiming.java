package dev.agentledger.accel;

/**
 * Timing of one submission, taken from device events where the backend has them (OpenCL profiling
 * events, CUDA events); host backends report their compute time as kernel time.
 *
 * @param backend backend that served the submission
 * @param device device name
 * @param items messages, nodes or signatures processed
 * @param launches kernel launches (a whole Merkle tree is one launch per level)
 * @param bytesIn bytes uploaded to the device
 * @param bytesOut bytes downloaded from the device
 * @param uploadNs host-to-device copy time
 * @param kernelNs kernel execution time (sum over launches)
 * @param downloadNs device-to-host copy time
 * @param wallNs submission to completion as the host saw it
 */
public record LaunchTiming(
    String backend,
    String device,
    long items,
    int launches,
    long bytesIn,
    long bytesOut,
    long uploadNs,
    long kernelNs,
    long downloadNs,
    long wallNs) {

  /** Items per second of kernel time. */
  public double itemsPerSecondKernel() {
    return kernelNs <= 0 ? 0 : items * 1e9 / kernelNs;
  }

  /** Items per second of wall time, copies included. */
  public double itemsPerSecondWall() {
    return wallNs <= 0 ? 0 : items * 1e9 / wallNs;
  }
}
