/**
 * Throughput measurements of hash-pipeline's SHA-256 engines for {@code agentledger speed sha256}
 * and {@code speed merkle} ({@link dev.agentledger.bench.speed.HashSpeed}), modelled on {@code
 * openssl speed}: the project's SIMD and single-stream engines and the JDK {@code MessageDigest}
 * anchor in one process, interleaved rounds, best round reported. Benchmarks only: no test asserts
 * on these numbers.
 */
package dev.agentledger.bench.speed;
