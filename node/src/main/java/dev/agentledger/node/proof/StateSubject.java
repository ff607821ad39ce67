package dev.agentledger.node.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.node.execution.core.AccountRecord;
import dev.agentledger.node.execution.core.LedgerTotals;
import dev.agentledger.node.execution.core.Roles;
import dev.agentledger.node.execution.core.RunEntry;
import dev.agentledger.node.execution.core.StateKeys;
import dev.agentledger.node.execution.core.UsageRecord;
import dev.agentledger.node.json.StrictJson;
import java.util.HexFormat;

/**
 * What a state proof is about. The verifier derives the state key from the subject (never takes a
 * key on trust), and decodes the proven value for the reader.
 *
 * <pre>
 *   {"kind":"account","account":hex32}
 *   {"kind":"usage","scope":"agent|payer|model","id":hex32}   {"kind":"usage","scope":"task","id":hex16}
 *   {"kind":"authorization","payer":hex32,"agent":hex32}
 *   {"kind":"run","txId":hex32}
 *   {"kind":"totals"}
 * </pre>
 */
public sealed interface StateSubject {
  HexFormat HEX = HexFormat.of();

  byte[] key();

  ObjectNode toJson();

  /** A readable account of {@code value} (null: absent); throws if the value does not decode. */
  String describe(byte[] value);

  record Account(byte[] account) implements StateSubject {
    public byte[] key() {
      return StateKeys.account(account);
    }

    public ObjectNode toJson() {
      return JsonNodeFactory.instance
          .objectNode()
          .put("kind", "account")
          .put("account", HEX.formatHex(account));
    }

    public String describe(byte[] value) {
      if (value == null) {
        return "account "
            + HEX.formatHex(account)
            + " does not exist (no roles, balance 0, nonce 0)";
      }
      AccountRecord a = AccountRecord.decode(value);
      return "account "
          + HEX.formatHex(account)
          + ": roles "
          + Roles.names(a.roles)
          + ", balance "
          + a.balance
          + ", next nonce "
          + a.nextNonce
          + ", runs "
          + a.runCount
          + ", last run "
          + HEX.formatHex(a.lastRun);
    }
  }

  record Usage(int scope, byte[] id) implements StateSubject {
    public byte[] key() {
      return StateKeys.usage(scope, id);
    }

    public ObjectNode toJson() {
      return JsonNodeFactory.instance
          .objectNode()
          .put("kind", "usage")
          .put("scope", StateKeys.scopeName(scope))
          .put("id", HEX.formatHex(id));
    }

    public String describe(byte[] value) {
      String who = StateKeys.scopeName(scope) + " " + HEX.formatHex(id);
      if (value == null) {
        return "no usage recorded for " + who;
      }
      UsageRecord u = UsageRecord.decode(value);
      return "usage of "
          + who
          + ": runs "
          + u.runs
          + ", input tokens "
          + u.inputTokens
          + ", output tokens "
          + u.outputTokens
          + ", compute ms "
          + u.computeMs
          + ", gpu ms "
          + u.gpuMs
          + ", max peak memory bytes "
          + u.maxPeakMemoryBytes
          + ", fees "
          + u.feesPaid
          + ", outcomes success/failure/partial/cancelled "
          + u.outcomes[0]
          + "/"
          + u.outcomes[1]
          + "/"
          + u.outcomes[2]
          + "/"
          + u.outcomes[3];
    }
  }

  record Authorization(byte[] payer, byte[] agent) implements StateSubject {
    public byte[] key() {
      return StateKeys.authorization(payer, agent);
    }

    public ObjectNode toJson() {
      return JsonNodeFactory.instance
          .objectNode()
          .put("kind", "authorization")
          .put("payer", HEX.formatHex(payer))
          .put("agent", HEX.formatHex(agent));
    }

    public String describe(byte[] value) {
      if (value != null && (value.length != 1 || value[0] != 1)) {
        throw new IllegalArgumentException("not an authorization value");
      }
      return "agent "
          + HEX.formatHex(agent)
          + (value == null ? " may not" : " may")
          + " bill to payer "
          + HEX.formatHex(payer);
    }
  }

  record Run(byte[] txId) implements StateSubject {
    public byte[] key() {
      return StateKeys.run(txId);
    }

    public ObjectNode toJson() {
      return JsonNodeFactory.instance
          .objectNode()
          .put("kind", "run")
          .put("txId", HEX.formatHex(txId));
    }

    public String describe(byte[] value) {
      if (value == null) {
        return "run " + HEX.formatHex(txId) + " is not recorded";
      }
      RunEntry e = RunEntry.decode(value);
      return "run "
          + HEX.formatHex(txId)
          + " of agent "
          + HEX.formatHex(e.agent())
          + ", history index "
          + e.historyIndex()
          + ", parent "
          + HEX.formatHex(e.parentRun())
          + ", commit "
          + e.commitSequence();
    }
  }

  record Totals() implements StateSubject {
    public byte[] key() {
      return StateKeys.totals();
    }

    public ObjectNode toJson() {
      return JsonNodeFactory.instance.objectNode().put("kind", "totals");
    }

    public String describe(byte[] value) {
      if (value == null) {
        return "no totals";
      }
      LedgerTotals t = LedgerTotals.decode(value);
      return "ledger totals after commit "
          + t.lastCommitSequence
          + ": supply "
          + t.supply
          + ", fees collected "
          + t.feesCollected
          + ", runs "
          + t.runsRecorded
          + ", failed transactions "
          + t.transactionsFailed;
    }
  }

  static StateSubject fromJson(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("'subject' must be an object");
    }
    String kind = StrictJson.text(node, "kind");
    return switch (kind) {
      case "account" -> {
        StrictJson.fields(node, "subject", "kind", "account");
        yield new Account(StrictJson.hex(node, "account", 32));
      }
      case "usage" -> {
        StrictJson.fields(node, "subject", "kind", "scope", "id");
        int scope = StateKeys.parseScope(StrictJson.text(node, "scope"));
        yield new Usage(scope, StrictJson.hex(node, "id", StateKeys.idLength(scope)));
      }
      case "authorization" -> {
        StrictJson.fields(node, "subject", "kind", "payer", "agent");
        yield new Authorization(
            StrictJson.hex(node, "payer", 32), StrictJson.hex(node, "agent", 32));
      }
      case "run" -> {
        StrictJson.fields(node, "subject", "kind", "txId");
        yield new Run(StrictJson.hex(node, "txId", 32));
      }
      case "totals" -> {
        StrictJson.fields(node, "subject", "kind");
        yield new Totals();
      }
      default -> throw new IllegalArgumentException("unknown subject kind '" + kind + "'");
    };
  }
}
