/**
 * The {@code agentledger} command line (picocli). Commands are thin: they parse, call the module
 * that owns the capability, and print. Exit status 0 on success, 1 on failure, 2 with one line on
 * stderr for malformed input or usage errors; stack traces only with {@code AGENTLEDGER_DEBUG}. The
 * {@code tool} subcommands are the conformance contract of DESIGN.md section 10.
 */
package dev.agentledger.node.cli;
