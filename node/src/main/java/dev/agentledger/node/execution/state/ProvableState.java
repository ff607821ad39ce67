package dev.agentledger.node.execution.state;

/** A read-only state version that can prove what it holds: the view queries read. */
public interface ProvableState {
  byte[] root();

  byte[] get(byte[] key);

  SparseMerkleProof prove(byte[] key);
}
