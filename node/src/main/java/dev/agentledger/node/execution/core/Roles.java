package dev.agentledger.node.execution.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Account roles as a bit set (the {@code roles} byte of an account and the argument of a PERMISSION
 * transaction). An account may hold several roles; an account that was never written holds none.
 */
public final class Roles {
  private Roles() {}

  /** May sign RUN records (as the agent). */
  public static final int AGENT = 1;

  /** May pay for other agents' runs, and authorises which agents may bill to it. */
  public static final int OPERATOR = 2;

  /** Read-only membership: recognised by the ledger, may not run, pay for others or administer. */
  public static final int AUDITOR = 4;

  /** May change any account's roles (PERMISSION). */
  public static final int ADMIN = 8;

  /** Every defined bit; a PERMISSION argument with other bits is refused. */
  public static final int ALL = AGENT | OPERATOR | AUDITOR | ADMIN;

  public static boolean has(int roles, int role) {
    return (roles & role) == role;
  }

  /** Role names of a bit set, for JSON and logs ({@code ["agent","admin"]}). */
  public static List<String> names(int roles) {
    List<String> names = new ArrayList<>(4);
    if (has(roles, AGENT)) {
      names.add("agent");
    }
    if (has(roles, OPERATOR)) {
      names.add("operator");
    }
    if (has(roles, AUDITOR)) {
      names.add("auditor");
    }
    if (has(roles, ADMIN)) {
      names.add("admin");
    }
    return names;
  }

  /** The bit of a role name; throws for an unknown name. */
  public static int parse(String name) {
    return switch (name) {
      case "agent" -> AGENT;
      case "operator" -> OPERATOR;
      case "auditor" -> AUDITOR;
      case "admin" -> ADMIN;
      default -> throw new IllegalArgumentException("unknown role: " + name);
    };
  }
}
