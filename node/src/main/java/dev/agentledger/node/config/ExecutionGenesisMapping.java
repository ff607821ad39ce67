package dev.agentledger.node.config;

import dev.agentledger.node.execution.core.ExecutionGenesis;
import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.execution.core.GenesisAccount;
import dev.agentledger.node.execution.core.Roles;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a validated {@link Genesis} file onto what execution starts from ({@link ExecutionGenesis}):
 *
 * <ul>
 *   <li>{@code admins} hold the ADMIN role;
 *   <li>{@code initial_balances} become opening balances (an account only listed there holds no
 *       role);
 *   <li>{@code accounts} get their roles and balances; an account that is also an admin keeps
 *       ADMIN as well (roles are the union);
 *   <li>the fee schedule carries over price by price (micro-units in both).
 * </ul>
 *
 * Accounts keep the order of first appearance (admins, then balances, then accounts), so every
 * validator builds the same genesis state.
 */
public final class ExecutionGenesisMapping {
  private ExecutionGenesisMapping() {}

  /** The execution genesis of {@code genesis}; a genesis without fees gets the free schedule. */
  public static ExecutionGenesis fromGenesis(Genesis genesis) {
    Map<String, long[]> accounts = new LinkedHashMap<>(); // hex key -> {roles, balance}
    for (String admin : genesis.admins()) {
      accounts.computeIfAbsent(admin, k -> new long[2])[0] |= Roles.ADMIN;
    }
    for (Balance balance : genesis.initialBalances()) {
      long[] entry = accounts.computeIfAbsent(balance.account(), k -> new long[2]);
      entry[1] = Math.addExact(entry[1], balance.amountMicros());
    }
    for (Account account : genesis.accounts()) {
      long[] entry = accounts.computeIfAbsent(account.account(), k -> new long[2]);
      for (String role : account.roles()) {
        entry[0] |= Roles.parse(role);
      }
      entry[1] = Math.addExact(entry[1], account.balanceMicros());
    }
    List<GenesisAccount> list = new ArrayList<>(accounts.size());
    HexFormat hex = HexFormat.of();
    for (Map.Entry<String, long[]> e : accounts.entrySet()) {
      list.add(new GenesisAccount(hex.parseHex(e.getKey()), (int) e.getValue()[0], e.getValue()[1]));
    }
    return new ExecutionGenesis((int) genesis.chainId(), fees(genesis.fees()), list);
  }

  /** The execution fee schedule with the genesis prices ({@link FeeSchedule#FREE} when absent). */
  public static FeeSchedule fees(dev.agentledger.node.config.FeeSchedule fees) {
    if (fees == null) {
      return FeeSchedule.FREE;
    }
    return new FeeSchedule(
        fees.baseFeeMicros(),
        fees.perByteMicros(),
        fees.perInputTokenMicros(),
        fees.perOutputTokenMicros(),
        fees.perComputeMsMicros(),
        fees.perGpuMsMicros());
  }
}
