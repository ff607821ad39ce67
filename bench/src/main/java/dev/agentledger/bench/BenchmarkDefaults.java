package dev.agentledger.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shared JMH settings: extend it from a benchmark class (JMH reads these annotations from the
 * superclass) so every fork gets the JVM flags this project needs (Vector API, FFM, Agrona) and the
 * same warmup and measurement. Command-line options ({@code -f}, {@code -wi}, {@code -i}) override
 * them; {@code bench/README.md} says how to run on isolated CPUs.
 */
@Fork(
    value = 2,
    jvmArgsAppend = {
      "--add-modules",
      "jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED",
      "--add-exports",
      "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-opens",
      "java.base/java.nio=ALL-UNNAMED",
      "--sun-misc-unsafe-memory-access=allow",
      "-Xms1g",
      "-Xmx1g",
      "-XX:+AlwaysPreTouch"
    })
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class BenchmarkDefaults {}
