/**
 * Strict JSON reading ({@link dev.agentledger.node.json.StrictJson}) for the forms that must have
 * one textual form per meaning: ledger proofs and the committee file. Depends on Jackson only.
 */
package dev.agentledger.node.json;
