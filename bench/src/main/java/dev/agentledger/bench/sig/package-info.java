/**
 * JMH suites for sig-verify (the Vector API kernels need several seconds of warm-up before C2
 * compiles them, hence the long warm-up): field multiplication and squaring (scalar radix 2^51 and
 * the eight-lane Vector API layout), point decompression, single verification against BouncyCastle
 * and libsodium, and batch verification by size. Run: {@code java --add-modules
 * jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * 'bench/target/classes:bench/target/lib/*' org.openjdk.jmh.Main 'dev.agentledger.bench.sig'}
 */
package dev.agentledger.bench.sig;
