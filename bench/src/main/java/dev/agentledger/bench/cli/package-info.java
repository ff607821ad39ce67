/**
 * The bench commands of {@code agentledger}: {@code speed sha256}, {@code speed merkle}, {@code
 * speed ed25519}, {@code kernels probe}, {@code kernels bench}, {@code loadgen}, {@code project}
 * and {@code demo}, added to node's picocli command line by {@link
 * dev.agentledger.bench.cli.BenchCliExtension} through the {@code CliExtension} service, because
 * bench sits above node in the module graph. Commands only parse options, call into the bench
 * packages (or the module they measure) and print; malformed options exit 2 with one line on
 * stderr.
 */
package dev.agentledger.bench.cli;
