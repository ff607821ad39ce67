package dev.agentledger.accel;

/**
 * A backend failed: the message names the operation and, for native failures, the native status by
 * its symbolic name (for example {@code CL_OUT_OF_RESOURCES}, {@code CUDA_ERROR_LAUNCH_FAILED}).
 */
public class AccelException extends RuntimeException {
  private final String nativeStatus;

  public AccelException(String message) {
    super(message);
    this.nativeStatus = "";
  }

  public AccelException(String message, String nativeStatus, Throwable cause) {
    super(nativeStatus.isEmpty() ? message : message + ": " + nativeStatus, cause);
    this.nativeStatus = nativeStatus;
  }

  /** The native status name, empty when the failure was not a native status. */
  public String nativeStatus() {
    return nativeStatus;
  }
}
