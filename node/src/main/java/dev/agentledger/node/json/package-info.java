/**
 * Strict JSON reading for the forms that must have one textual form per meaning: proofs and the
 * committee file. Depends on Jackson only.
 */
package dev.agentledger.node.json;
