package dev.agentledger.node.execution.core;

/** One account as genesis creates it: key, role bits, opening balance. */
public record GenesisAccount(byte[] publicKey, int roles, long balance) {
  public GenesisAccount {
    if (publicKey.length != 32) {
      throw new IllegalArgumentException("account key must be 32 bytes");
    }
    if ((roles & ~Roles.ALL) != 0) {
      throw new IllegalArgumentException("unknown role bits: " + roles);
    }
    if (balance < 0) {
      throw new IllegalArgumentException("balance must be non-negative");
    }
    publicKey = publicKey.clone();
  }
}
