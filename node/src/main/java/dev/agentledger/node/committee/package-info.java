/**
 * The committee: the validators of a shard for an epoch, their Ed25519 keys, stakes (sums of
 * delegations) and addresses, and the stake-weighted quorum arithmetic (more than two thirds of the
 * stake; DESIGN.md §5). {@link dev.agentledger.node.committee.Committee} is the one model that the
 * network, consensus, workers, execution, commit certificates and offline proof checking share; it
 * is built from the genesis ({@code config.Genesis#toCommittee()}) or read from its JSON file form.
 * Depends only on {@code node.json}.
 */
package dev.agentledger.node.committee;
