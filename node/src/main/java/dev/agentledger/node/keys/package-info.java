/**
 * Validator and agent key files: Ed25519 seeds stored as JSON with mode 0600, created atomically
 * and never overwritten; loading verifies that the stored public key matches the seed.
 */
package dev.agentledger.node.keys;
