/**
 * Ed25519 signatures for AgentLedger (RFC 8032, verification under the ZIP-215 rules).
 *
 * <p>{@link dev.agentledger.sig.Ed25519} is the only entry point other modules use. Until the
 * project's own arithmetic lands, {@code Ed25519Engine} delegates to BouncyCastle, whose
 * verification is stricter than ZIP-215 (it rejects non-canonical point encodings and uses the
 * cofactorless equation); the sig-verify issue replaces it and keeps BouncyCastle as a test
 * reference only.
 */
package dev.agentledger.sig;
