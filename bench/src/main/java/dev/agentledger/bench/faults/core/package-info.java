/**
 * The fault-injection suite's pure parts: the fault kinds, which validators each fault hits (fixed,
 * or a seeded random schedule in the style of Jepsen's nemesis), the per-scenario result with the
 * checks every scenario makes (no fork, nothing accepted lost, proofs verify, the honest load keeps
 * committing), and the results table. No processes, sockets or clocks here.
 */
package dev.agentledger.bench.faults.core;
