/**
 * The real cluster as a load target ({@code --target cluster}): open-loop submission through node's
 * {@link dev.agentledger.node.client.ClusterSubmitter} (the path {@code agentledger submit} uses
 * too) over the validators' client ports, with each agent pinned to one validator (its nonces must
 * arrive in order: the mempool holds a run until its agent's previous nonce arrived), and commit
 * detection by polling the transaction index that consensus writes. Latency runs from the intended
 * send time (no coordinated omission, after Gil Tene, "How NOT to Measure Latency"); a run counts
 * as committed only once ordered by consensus (Bullshark's commit rule, Spiegelman et al., CCS
 * 2022); an accepted run that never commits is reported lost.
 */
package dev.agentledger.bench.loadgen.cluster;
