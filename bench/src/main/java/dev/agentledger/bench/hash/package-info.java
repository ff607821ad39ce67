/**
 * JMH benchmarks of the hash pipeline against its anchors: the SHA-256 engines (multi-buffer Vector
 * API, single-stream, the JDK MessageDigest), RFC 6962 tree builds from 2^10 to 2^22 leaves, and
 * sparse Merkle tree batch updates. Run from {@code bench/target}: {@code java -cp
 * "bench-*.jar:lib/*" org.openjdk.jmh.Main 'dev.agentledger.bench.hash' -rf json}. Forks get the
 * project's JVM flags through {@code @Fork(jvmArgsAppend)}.
 */
package dev.agentledger.bench.hash;
