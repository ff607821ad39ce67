/**
 * Other Ed25519 implementations reached at run time, used only as references in tests ({@code
 * LibsodiumAgreementTest}) and as anchors in {@code agentledger speed ed25519}: libsodium through
 * the FFM API (JEP 454), {@link dev.agentledger.bench.reference.LibsodiumEd25519}. Optional:
 * absence is a value, not an error.
 */
package dev.agentledger.bench.reference;
