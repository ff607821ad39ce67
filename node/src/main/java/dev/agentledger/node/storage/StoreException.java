package dev.agentledger.node.storage;

/**
 * A storage failure: the store cannot be opened, read or written. Unchecked: not recoverable in
 * place.
 */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
