/** JMH suite of the zk module's scalar Fr arithmetic and NTT ({@code FrBench}). */
package dev.agentledger.bench.zk;
