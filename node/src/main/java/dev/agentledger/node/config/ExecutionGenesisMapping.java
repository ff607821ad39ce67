package dev.agentledger.node.config;

import dev.agentledger.node.execution.core.ExecutionGenesis;
import dev.agentledger.node.execution.core.GenesisAccount;
import dev.agentledger.node.execution.core.Roles;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the genesis file ({@link Genesis}) onto what execution needs ({@link ExecutionGenesis}) and
 * what commit certificates are checked against ({@link dev.agentledger.node.commit.Committee}).
 * Admins get the admin role; an account named in several places gets the union of its roles and
 * the sum of its balances (exact; overflow is a configuration error).
 */
public final class ExecutionGenesisMapping {
  private ExecutionGenesisMapping() {}

  private static final class Account {
    int roles;
    long balance;
  }

  public static ExecutionGenesis fromGenesis(Genesis genesis) throws ConfigException {
    Map<String, Account> accounts = new LinkedHashMap<>();
    for (String admin : genesis.admins()) {
      accounts.computeIfAbsent(admin, k -> new Account()).roles |= Roles.ADMIN;
    }
    for (Balance b : genesis.initialBalances()) {
      Account a = accounts.computeIfAbsent(b.account(), k -> new Account());
      try {
        a.balance = Math.addExact(a.balance, b.amountMicros());
      } catch (ArithmeticException e) {
        throw new ConfigException("genesis", List.of("initial_balances: the balances of " + b.account() + " overflow"));
      }
    }
    List<GenesisAccount> list = new ArrayList<>();
    for (Map.Entry<String, Account> e : accounts.entrySet()) {
      list.add(new GenesisAccount(HexFormat.of().parseHex(e.getKey()), e.getValue().roles, e.getValue().balance));
    }
    FeeSchedule f = genesis.fees();
    dev.agentledger.node.execution.core.FeeSchedule fees =
        new dev.agentledger.node.execution.core.FeeSchedule(
            f.baseFeeMicros(), f.perByteMicros(), f.perInputTokenMicros(), f.perOutputTokenMicros(),
            f.perComputeMsMicros(), f.perGpuMsMicros());
    try {
      return new ExecutionGenesis((int) genesis.chainId(), fees, list);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ConfigException("genesis", List.of(String.valueOf(e.getMessage())));
    }
  }

  /** The committee commit certificates are checked against: the genesis validators and stakes. */
  public static dev.agentledger.node.commit.Committee commitCommittee(Genesis genesis) {
    List<dev.agentledger.node.commit.Committee.Member> members = new ArrayList<>();
    for (Validator v : genesis.committee()) {
      members.add(new dev.agentledger.node.commit.Committee.Member(v.publicKeyBytes(), v.stake()));
    }
    return new dev.agentledger.node.commit.Committee((int) genesis.chainId(), members);
  }
}
