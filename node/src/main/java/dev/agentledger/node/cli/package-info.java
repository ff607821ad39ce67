/**
 * The core of the {@code agentledger} command line (picocli): {@code version}, {@code keygen},
 * {@code tool}, {@code verify-proof}, {@code sim}, {@code node run}, {@code node status} and {@code
 * submit}. Modules above node add their commands through the {@link
 * dev.agentledger.node.cli.CliExtension} service: deploy-baremetal's {@code cluster} and {@code
 * preflight}, bench's {@code speed}, {@code kernels}, {@code loadgen}, {@code project} and {@code
 * demo}. Commands are thin: they parse, call the package that owns the capability, and print. Exit
 * status 0 on success, 1 on failure, 2 with one line on stderr for malformed input or usage errors;
 * stack traces only with {@code AGENTLEDGER_DEBUG}; an unknown command or flag gets picocli's
 * nearest match appended ("did you mean ..."). {@code help} and {@code completion} are picocli's.
 * Flag names carry their unit ({@code -s}, {@code -ms}); former spellings stay as hidden aliases.
 * Long commands print progress to stderr through {@link dev.agentledger.node.cli.Progress}, on a
 * terminal or with {@code --progress}. The {@code tool} subcommands are the conformance contract of
 * DESIGN.md section 10.
 */
package dev.agentledger.node.cli;
