/**
 * The bench commands of {@code agentledger} ({@code loadgen}, {@code project}, {@code demo}), added
 * to node's picocli command line through the {@code CliExtension} service, because bench sits above
 * node in the module graph. Commands only parse options, call into the bench packages and print;
 * malformed options exit 2 with one line on stderr.
 */
package dev.agentledger.bench.cli;
