package dev.agentledger.zk;

/**
 * Malformed input to the SNARK engine: a truncated or oversized file, a wrong curve, a point off
 * the curve or outside its subgroup, a field element not below its modulus. The message is one line
 * that names the file or field; the CLI maps it to exit status 2.
 */
public final class ZkInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a one-line message. */
  public ZkInputException(String message) {
    super(message);
  }

  /** An exception with a one-line message and a cause. */
  public ZkInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
