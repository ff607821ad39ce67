package dev.agentledger.node.config;

/**
 * Stake that an account (its Ed25519 public key, 64 hex) delegates to a validator. A validator's
 * stake is the sum of its delegations (delegated proof of stake); the validator's own stake is a
 * delegation from its operator account.
 */
public record Delegation(String delegator, long amount) {}
