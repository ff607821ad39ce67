/**
 * {@code agentledger demo}: the orchestration of a real local cluster (validators as separate
 * processes on loopback, started from {@code cluster init} output), open-loop load through the
 * cluster client, drain, proof sampling through {@link dev.agentledger.bench.demo.ProofClient}, a
 * report, and a guaranteed stop of every child ({@link dev.agentledger.bench.demo.ProcessSupervisor}:
 * SIGTERM, grace period, SIGKILL, also from a shutdown hook on Ctrl-C). The demo refuses to run and
 * names the missing component when the build lacks one ({@link dev.agentledger.bench.demo.DemoPreflight}).
 */
package dev.agentledger.bench.demo;
