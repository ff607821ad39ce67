/**
 * The validator node (see the module README for the stages, threads, storage and ports): the
 * transaction model ({@code tx}), keys, the committee and configuration, the data path ({@code
 * net}, {@code ingress}, {@code mempool}, {@code worker}), the DAG consensus primary ({@code
 * consensus}), execution, commit certificates and proofs ({@code execution}, {@code commit}, {@code
 * proof}), storage, the query API with events and metrics, the client library, the simulator and
 * the core of the {@code agentledger} command line ({@code cli}). Pure logic lives in {@code core}
 * sub-packages (no Netty, RocksDB, threads or clocks).
 */
package dev.agentledger.node;
