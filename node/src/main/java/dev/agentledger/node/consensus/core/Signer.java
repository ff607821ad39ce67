package dev.agentledger.node.consensus.core;

/** Signs consensus messages with one validator's key. */
public interface Signer {
  /** The signature of {@code message}. */
  byte[] sign(byte[] message);
}
