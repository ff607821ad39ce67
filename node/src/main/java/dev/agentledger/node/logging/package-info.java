/**
 * Logging setup: {@link System.Logger} in the code, SLF4J and Logback behind it, one event per line
 * on stderr as text or JSON ({@code --log-format}, {@code --log-level}).
 */
package dev.agentledger.node.logging;
