package dev.agentledger.node.execution.core;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What execution needs from genesis: the chain id, the fee schedule, and the first accounts (the
 * first admins among them) with their roles and balances. The deploy module's genesis file maps
 * onto this record. The total opening supply must fit in 63 bits, so no balance can overflow later
 * (every later balance is part of that supply).
 */
public record ExecutionGenesis(int chainId, FeeSchedule fees, List<GenesisAccount> accounts) {
  public ExecutionGenesis {
    accounts = List.copyOf(accounts);
    long supply = 0;
    Set<String> seen = new HashSet<>();
    boolean admin = false;
    for (GenesisAccount account : accounts) {
      supply = Math.addExact(supply, account.balance());
      if (!seen.add(Arrays.toString(account.publicKey()))) {
        throw new IllegalArgumentException("duplicate genesis account");
      }
      admin |= Roles.has(account.roles(), Roles.ADMIN);
    }
    if (!accounts.isEmpty() && !admin) {
      throw new IllegalArgumentException("genesis names accounts but no admin");
    }
  }

  /** Sum of the opening balances. */
  public long supply() {
    long supply = 0;
    for (GenesisAccount account : accounts) {
      supply += account.balance();
    }
    return supply;
  }
}
