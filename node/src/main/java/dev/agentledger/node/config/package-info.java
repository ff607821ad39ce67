/**
 * Genesis and node configuration: the model, loading and validation.
 *
 * <p>{@link dev.agentledger.node.config.Genesis} fixes what all validators agree on before the
 * first round: chain id, committee (Ed25519 keys, stake as the sum of delegations, addresses), fee
 * schedule (the one {@link dev.agentledger.node.execution.core.FeeSchedule}), first admins and
 * balances; {@link dev.agentledger.node.config.Genesis#toCommittee()} builds the one {@link
 * dev.agentledger.node.committee.Committee}. Quorums are stake-weighted, more than two thirds of
 * the stake, as in Narwhal and Tusk (Danezis et al., EuroSys 2022, section 2) and Bullshark
 * (Spiegelman et al., CCS 2022, section 2). {@link dev.agentledger.node.config.NodeConfig} says how
 * one validator process runs on its host (its four listen addresses, data directory, backend,
 * CPUs); {@link dev.agentledger.node.config.NodeSetup} loads both plus the key and cross-checks
 * them.
 *
 * <p>Documents are YAML (or JSON) read by Jackson into a tree and bound by hand, so that every
 * problem is reported at once and names its field by path ({@code committee[2].peer_address: 70000
 * is not a port (1..65535)}), and unknown fields (typos) are refused rather than ignored. Planning
 * and writing a whole cluster (hosts files, layout, systemd units) is deploy-baremetal's {@code
 * dev.agentledger.deploy.cluster}, not this package.
 */
package dev.agentledger.node.config;
