/**
 * {@code agentledger demo}: the orchestration of a real local cluster. {@link
 * dev.agentledger.bench.demo.DemoPreflight} names what is missing (java, a writable data directory,
 * free ports) before anything starts; {@link dev.agentledger.bench.demo.NodeLauncher} starts each
 * validator as its own JVM ({@code node run}) with this JVM's flags and class path; {@link
 * dev.agentledger.bench.demo.ProcessSupervisor} guarantees every child stops (SIGTERM, grace
 * period, SIGKILL, also from a shutdown hook on Ctrl-C); {@link
 * dev.agentledger.bench.demo.HttpProofClient} fetches proofs of committed runs from random
 * validators and verifies them offline: commit certificate (more than 2/3 of the stake, as in
 * Bullshark, Spiegelman et al. 2022), RFC 9162 inclusion paths, against the committee of the
 * genesis, never the node's word alone. {@link dev.agentledger.bench.demo.NativeThreadCpu} reads
 * the CPU of a validator's threads that the JVM does not list (JIT compiler, GC, RocksDB
 * background, JVM service threads) from {@code /proc}, for the demo's per-stage breakdown; {@link
 * dev.agentledger.bench.demo.WarmupWatch} samples the compiler threads' share once a second while
 * the warm-up load runs, and {@link dev.agentledger.bench.demo.WarmupEnd} decides when that load
 * may stop (the compilers quiet under it over a window, past a minimum, or a cap); {@link
 * dev.agentledger.bench.demo.JitQuiet} then waits, without load, for them to go quiet.
 */
package dev.agentledger.bench.demo;
