/**
 * The runtime's pure decisions: {@link dev.agentledger.node.runtime.core.JitSettling} says when a
 * start-up warm-up may stop, from the JIT's measurements that its caller takes. No threads, clocks
 * or I/O.
 */
package dev.agentledger.node.runtime.core;
