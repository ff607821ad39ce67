/**
 * The soak ({@code agentledger soak}): a local cluster of real validator processes (the fault
 * suite's {@link dev.agentledger.bench.faults.LocalCluster}) under a constant honest load from the
 * real load generator for a long time, with each validator's resident set size ({@code VmRSS} of
 * {@code /proc/PID/status}), heap used ({@code jstat -gc}) and the memory's parts (RocksDB's
 * accounting from {@code /status}, glibc's malloc heaps from {@code /proc/PID/smaps}, the JVM's
 * native memory tracking through {@code jcmd}) sampled at a fixed interval. At the end it checks
 * what the fault suite checks (nothing accepted lost, chains equal, proofs verified) and whether
 * memory stayed flat, and attributes the growth to the parts; the analysis and the tables are pure
 * ({@code soak.core}).
 *
 * <p>Threads: the load generator runs on a thread of its own while the caller samples. This is test
 * tooling outside the node, which keeps its own agent model.
 */
package dev.agentledger.bench.soak;
