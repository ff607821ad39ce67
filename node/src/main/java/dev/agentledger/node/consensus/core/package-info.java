/**
 * Pure consensus logic: the committee and stake-weighted quorums, DAG vertices, votes and
 * certificates (Narwhal: Danezis, Kokoris-Kogias, Sonnino, Spiegelman, "Narwhal and Tusk", EuroSys
 * 2022, section 3-4), the Bullshark commit rule (Spiegelman, Giridharan, Sonnino, Kokoris-Kogias,
 * "Bullshark: DAG BFT Protocols Made Practical", CCS 2022, partially synchronous version, with its
 * weak edges: {@code WeakLink}), reputation-based anchor selection (Shoal, Spiegelman et al. 2023;
 * HammerHead, Tsimos et al. 2023), and the primary as a state machine driven by messages and the
 * time passed in ({@code PrimaryCore}, with its pacing in {@code ProposalPacer} and its own batches
 * in {@code OwnBatches}).
 *
 * <p>Nothing here reads a clock, starts a thread or does I/O except through the interfaces it
 * declares ({@link dev.agentledger.node.consensus.core.PrimaryOutbox}, {@link
 * dev.agentledger.node.consensus.core.ConsensusStore}, {@link
 * dev.agentledger.node.consensus.core.CommittedSubDagStream}, {@link
 * dev.agentledger.node.consensus.core.SignatureVerifier}); the simulator and the network transport
 * drive the same code. {@code ConsensusCoreArchitectureTest} keeps it so.
 *
 * <p>Safety rests on: one vote per (author, round) by every honest validator, persisted before it
 * is sent; quorums of more than 2/3 of the stake (two quorums share an honest validator); anchors
 * committed only with more than 1/3 of the stake supporting them, so that every later anchor
 * reaches them; a leader schedule that depends only on the committed sequence.
 */
package dev.agentledger.node.consensus.core;
