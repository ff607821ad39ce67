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
 * Maps the genesis file ({@link Genesis}) onto what execution needs ({@link ExecutionGenesis}) and
 * what commit certificates are checked against ({@link dev.agentledger.node.committee.Committee}):
 *
 * <ul>
 *   <li>{@code admins} hold the admin role;
 *   <li>{@code initial_balances} become opening balances (an account only listed there holds no
 *       role);
 *   <li>{@code accounts} get their roles and balances;
 *   <li>the fee schedule carries over price by price (micro-units in both).
 * </ul>
 *
 * An account named in several places gets the union of its roles and the sum of its balances
 * (exact; overflow is a configuration error). Accounts keep the order of first appearance (admins,
 * balances, accounts), so every validator builds the same genesis state.
 */
public final class ExecutionGenesisMapping {
  private ExecutionGenesisMapping() {}

  private static final class Entry {
    int roles;
    long balance;
  }

  public static ExecutionGenesis fromGenesis(Genesis genesis) throws ConfigException {
    Map<String, Entry> accounts = new LinkedHashMap<>();
    for (String admin : genesis.admins()) {
      accounts.computeIfAbsent(admin, k -> new Entry()).roles |= Roles.ADMIN;
    }
    for (Balance b : genesis.initialBalances()) {
      add(
          accounts.computeIfAbsent(b.account(), k -> new Entry()),
          b.amountMicros(),
          "initial_balances",
          b.account());
    }
    for (Account account : genesis.accounts()) {
      Entry e = accounts.computeIfAbsent(account.account(), k -> new Entry());
      for (String role : account.roles()) {
        e.roles |= Roles.parse(role);
      }
      add(e, account.balanceMicros(), "accounts", account.account());
    }
    List<GenesisAccount> list = new ArrayList<>();
    for (Map.Entry<String, Entry> e : accounts.entrySet()) {
      list.add(
          new GenesisAccount(
              HexFormat.of().parseHex(e.getKey()), e.getValue().roles, e.getValue().balance));
    }
    try {
      return new ExecutionGenesis((int) genesis.chainId(), fees(genesis.fees()), list);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ConfigException("genesis", List.of(String.valueOf(e.getMessage())));
    }
  }

  private static void add(Entry entry, long amount, String field, String account)
      throws ConfigException {
    try {
      entry.balance = Math.addExact(entry.balance, amount);
    } catch (ArithmeticException e) {
      throw new ConfigException(
          "genesis", List.of(field + ": the balances of " + account + " overflow"));
    }
  }

  /** The execution fee schedule with the genesis prices (free when the genesis has none). */
  public static FeeSchedule fees(FeeSchedule f) {
    return f == null ? FeeSchedule.FREE : f;
  }
}
