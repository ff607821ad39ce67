/**
 * Throughput measurements of the hashing engines for {@code agentledger speed}, modelled on {@code
 * openssl speed}: all implementations in one process, interleaved rounds, best round reported.
 * Benchmarks only: no test asserts on these numbers.
 */
package dev.agentledger.bench.speed;
