/**
 * Benchmarks and measurement tooling, the top of the module graph: JMH suites for every kernel
 * against its anchor ({@code codec}, {@code hash}, {@code sig}, {@code node}), the {@code speed}
 * and {@code kernels} commands, the open-loop load generator ({@code loadgen}), the TPS report
 * ({@code report}), the cluster projection model ({@code projection}) and the end-to-end {@code
 * demo}.
 */
package dev.agentledger.bench;
