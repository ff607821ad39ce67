/**
 * The committee: the validators of a shard for an epoch, their keys, stakes and addresses, and the
 * stake-weighted quorum arithmetic (DESIGN.md §5). The one model that the network, consensus,
 * workers, execution and offline proof checking share. Depends only on {@code node.json}.
 */
package dev.agentledger.node.committee;
