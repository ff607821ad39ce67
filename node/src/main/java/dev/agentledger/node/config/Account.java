package dev.agentledger.node.config;

import java.util.List;

/**
 * An account that genesis creates with roles and a balance (the {@code accounts:} list): for
 * example the agents a load test signs with, which execution only accepts as RUN signers when they
 * hold the {@code agent} role.
 *
 * @param account the account's Ed25519 public key, 64 lower-case hex
 * @param roles role names, each one of {@link #ROLE_NAMES}, no repeats
 * @param balanceMicros opening balance in micro-units of the native token
 */
public record Account(String account, List<String> roles, long balanceMicros) {
  /** The role names genesis accepts, in the order of their bits in execution. */
  public static final List<String> ROLE_NAMES = List.of("agent", "operator", "auditor", "admin");

  public Account {
    roles = List.copyOf(roles);
  }
}
