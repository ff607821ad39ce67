/**
 * The fault-injection suite ({@code agentledger faults}): a local cluster of real validator
 * processes ({@code cluster init}, {@code node run}) with a userspace TCP proxy on every directed
 * peer link ({@link dev.agentledger.bench.faults.PeerProxy}), and the faults run under honest load
 * from the real load generator: kill -9 of one and of two validators, a partition at the proxies, a
 * partition at the IP level (the victim in a network namespace whose veth pair goes down, {@link
 * dev.agentledger.bench.faults.NetNamespace}, when root), a relay that replays a recorded peer
 * session and forges frames, connection floods, overload, and a full disk (a small tmpfs, when
 * root). A killed validator's catch-up rate after its restart is measured against the cluster's
 * commit rate while the load runs. Each scenario checks, in the spirit of Jepsen: no fork (commit
 * hashes equal at every common height), nothing accepted lost (asked through the query API too),
 * proofs verified offline, and the honest load committing during and after the fault. The schedule
 * and the results table are pure ({@code faults.core}).
 *
 * <p>Threads: the load generator's sender runs on a thread of its own while the caller injects the
 * fault; each proxy has an accepting thread and two copying threads per relayed connection; the
 * relay's connections each run on a virtual thread of their own, all at once. This is test tooling
 * outside the node, which keeps its own agent model.
 */
package dev.agentledger.bench.faults;
