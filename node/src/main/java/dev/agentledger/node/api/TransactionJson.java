package dev.agentledger.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.hash.Sha256;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.tx.AccountOpDescriptor;
import dev.agentledger.node.tx.AccountOpFlyweight;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.node.tx.RunKind;
import dev.agentledger.node.tx.RunOutcome;
import dev.agentledger.node.tx.TransactionSlot;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The JSON forms of a transaction that the HTTP API takes, turned into the exact record bytes that
 * the client protocol carries. A transaction is one of:
 *
 * <ul>
 *   <li>{@code {"hex": "..."}} or {@code {"base64": "..."}}: the encoded record (326 bytes for a
 *       run, 160 for an account operation), signature included;
 *   <li>the fields by name, as {@code GET /v1/transactions/{id}} describes them ({@code kind} RUN,
 *       PERMISSION, AUTHORIZE, TRANSFER or REGISTER_AGENT; keys and hashes in lower-case hex;
 *       integers as JSON numbers or decimal strings), plus {@code signature}: the Ed25519 signature
 *       (hex) over the canonical signing message, which {@link #encode} returns for the same fields
 *       without a signature.
 * </ul>
 *
 * A request body is one transaction or {@code {"transactions": [...]}} with 1 to 256 of them. Every
 * unknown field, missing required field, wrong type or out-of-range value is a {@link
 * BadTransaction} naming the transaction and the field. Pure: no I/O.
 */
public final class TransactionJson {
  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private static final Set<String> RUN_FIELDS =
      Set.of(
          "kind",
          "version",
          "chainId",
          "shardHint",
          "agent",
          "payer",
          "nonce",
          "taskId",
          "parentRun",
          "startedAt",
          "endedAt",
          "inputTokens",
          "outputTokens",
          "computeMs",
          "gpuMs",
          "peakMemoryBytes",
          "model",
          "outcome",
          "priority",
          "maxFee",
          "metadataCid",
          "signature");
  private static final Set<String> OP_FIELDS =
      Set.of(
          "kind",
          "version",
          "chainId",
          "shardHint",
          "signer",
          "nonce",
          "target",
          "argument",
          "maxFee",
          "signature");

  private TransactionJson() {}

  /** A request or one of its transactions that cannot be read; the message names what and why. */
  public static final class BadTransaction extends Exception {
    public BadTransaction(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The records of a request body, in order.
   *
   * @throws BadTransaction for a body that is not JSON, or any transaction that cannot be read
   */
  public static List<byte[]> parseRequest(byte[] body) throws BadTransaction {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadTransaction("the body is not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new BadTransaction("the body is not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadTransaction("the body must be a JSON object");
    }
    List<byte[]> records = new ArrayList<>();
    if (root.has("transactions")) {
      if (root.size() != 1) {
        throw new BadTransaction("a body with \"transactions\" may have no other field");
      }
      JsonNode list = root.get("transactions");
      if (!list.isArray() || list.isEmpty() || list.size() > Wire.MAX_SUBMIT_RECORDS) {
        throw new BadTransaction(
            "\"transactions\" must be an array of 1 to " + Wire.MAX_SUBMIT_RECORDS + " objects");
      }
      for (int i = 0; i < list.size(); i++) {
        records.add(parse(list.get(i), "transactions[" + i + "]"));
      }
    } else {
      records.add(parse(root, "the transaction"));
    }
    return records;
  }

  /** One transaction: hex, base64 or fields with a signature. */
  static byte[] parse(JsonNode node, String where) throws BadTransaction {
    if (!node.isObject()) {
      throw new BadTransaction(where + " must be a JSON object");
    }
    if (node.has("hex") || node.has("base64")) {
      if (node.size() != 1) {
        throw new BadTransaction(where + ": \"hex\" or \"base64\" must be its only field");
      }
      byte[] record;
      if (node.has("hex")) {
        String text = text(node, "hex", where);
        try {
          record = HEX.parseHex(text);
        } catch (IllegalArgumentException e) {
          throw new BadTransaction(where + ": \"hex\" is not hex");
        }
      } else {
        try {
          record = Base64.getDecoder().decode(text(node, "base64", where));
        } catch (IllegalArgumentException e) {
          throw new BadTransaction(where + ": \"base64\" is not base64: " + e.getMessage());
        }
      }
      checkLength(record, where);
      return record;
    }
    byte[] record = fields(node, where, true);
    return record;
  }

  /**
   * The canonical bytes of a transaction given by its fields without {@code signature}: {@code
   * {"kind", "record" (hex, signature zero), "signingMessage" (hex), "txIdPreimageLength"}}. A
   * client signs {@code signingMessage} with the signer's key and sends the fields plus {@code
   * signature}, or {@code record} with the signature in its last 64 bytes.
   */
  public static ObjectNode encode(byte[] body) throws BadTransaction {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new BadTransaction("the body is not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadTransaction("the body must be a JSON object");
    }
    byte[] record = fields(root, "the transaction", false);
    UnsafeBuffer view = new UnsafeBuffer(record);
    byte[] message;
    if (TransactionSlot.isAccountOp(view, 0)) {
      message = new byte[AccountOpDescriptor.SIGNING_MESSAGE_LENGTH];
      new AccountOpFlyweight().wrap(view, 0).signingMessage(message, 0);
    } else {
      message = new byte[AgentRunDescriptor.SIGNING_MESSAGE_LENGTH];
      new AgentRunFlyweight().wrap(view, 0).signingMessage(message, 0);
    }
    return JsonNodeFactory.instance
        .objectNode()
        .put("kind", RunKind.fromCode(record[1]).name())
        .put("record", HEX.formatHex(record))
        .put("signingMessage", HEX.formatHex(message));
  }

  /** The transaction id of a record (run or account operation). */
  public static String transactionId(byte[] record) {
    byte[] id = new byte[32];
    new TransactionSlot()
        .transactionId(new UnsafeBuffer(TransactionSlot.pad(record)), 0, new Sha256(), id, 0);
    return HEX.formatHex(id);
  }

  private static void checkLength(byte[] record, String where) throws BadTransaction {
    RunKind kind = record.length >= 2 ? RunKind.fromCode(record[1]) : null;
    if (kind == null || record.length != kind.encodedLength()) {
      throw new BadTransaction(
          where
              + ": a record is "
              + AgentRunDescriptor.ENCODED_LENGTH
              + " bytes (kind 1, a run) or "
              + AccountOpDescriptor.ENCODED_LENGTH
              + " bytes (kinds 2 to 5, an account operation) with the kind at byte 1; got "
              + record.length
              + " bytes"
              + (kind == null && record.length >= 2 ? " of kind " + record[1] : ""));
    }
  }

  private static byte[] fields(JsonNode node, String where, boolean signed) throws BadTransaction {
    String kindName = text(node, "kind", where);
    RunKind kind;
    try {
      kind = RunKind.valueOf(kindName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadTransaction(
          where
              + ": unknown kind \""
              + kindName
              + "\" (RUN, PERMISSION, AUTHORIZE, TRANSFER, REGISTER_AGENT)");
    }
    Set<String> allowed = kind == RunKind.RUN ? RUN_FIELDS : OP_FIELDS;
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new BadTransaction(where + ": unknown field \"" + name + "\" for kind " + kind);
      }
    }
    if (signed != node.has("signature")) {
      throw new BadTransaction(
          where
              + (signed
                  ? ": \"signature\" is required (or send the record as \"hex\" / \"base64\")"
                  : ": \"signature\" is not part of what is signed; leave it out"));
    }
    byte[] record = new byte[kind.encodedLength()];
    UnsafeBuffer buffer = new UnsafeBuffer(record);
    int version = (int) number(node, "version", where, 1, 255);
    int chainId = (int) number(node, "chainId", where, null, 0xFFFF_FFFFL);
    int shard = (int) number(node, "shardHint", where, 0, 0xFFFF);
    if (kind == RunKind.RUN) {
      AgentRunFlyweight run = new AgentRunFlyweight().wrap(buffer, 0);
      byte[] agent = bytes(node, "agent", where, 32, null);
      run.version((byte) version).kind(kind.code()).chainId(chainId).shardHint(shard);
      run.agent(agent, 0)
          .payer(bytes(node, "payer", where, 32, agent), 0)
          .nonce(number(node, "nonce", where, null, -1))
          .taskId(bytes(node, "taskId", where, 16, new byte[16]), 0)
          .parentRun(bytes(node, "parentRun", where, 32, new byte[32]), 0)
          .startedAt(number(node, "startedAt", where, null, -1))
          .endedAt(number(node, "endedAt", where, null, -1))
          .inputTokens(number(node, "inputTokens", where, 0, -1))
          .outputTokens(number(node, "outputTokens", where, 0, -1))
          .computeMs(number(node, "computeMs", where, 0, -1))
          .gpuMs(number(node, "gpuMs", where, 0, -1))
          .peakMemoryBytes(number(node, "peakMemoryBytes", where, 0, -1))
          .model(bytes(node, "model", where, 32, new byte[32]), 0)
          .outcome(outcome(node, where))
          .priority((int) number(node, "priority", where, 0, AgentRunDescriptor.PRIORITY_LANES - 1))
          .maxFee(number(node, "maxFee", where, null, -1))
          .metadataCid(bytes(node, "metadataCid", where, 36, new byte[36]), 0);
      if (signed) {
        run.signature(bytes(node, "signature", where, 64, null), 0);
      }
    } else {
      AccountOpFlyweight op = new AccountOpFlyweight().wrap(buffer, 0);
      op.version((byte) version).kind(kind.code()).chainId(chainId).shardHint(shard);
      op.signer(bytes(node, "signer", where, 32, null), 0)
          .nonce(number(node, "nonce", where, null, -1))
          .target(bytes(node, "target", where, 32, null), 0)
          .argument(number(node, "argument", where, kind == RunKind.TRANSFER ? null : 0L, -1))
          .maxFee(number(node, "maxFee", where, null, -1));
      if (signed) {
        op.signature(bytes(node, "signature", where, 64, null), 0);
      }
    }
    return record;
  }

  private static byte outcome(JsonNode node, String where) throws BadTransaction {
    if (!node.has("outcome")) {
      return RunOutcome.SUCCESS.code();
    }
    String name = text(node, "outcome", where);
    try {
      return RunOutcome.valueOf(name.toUpperCase(Locale.ROOT)).code();
    } catch (IllegalArgumentException e) {
      throw new BadTransaction(
          where
              + ": \"outcome\" must be SUCCESS, FAILURE, PARTIAL or CANCELLED, got \""
              + name
              + "\"");
    }
  }

  private static String text(JsonNode node, String field, String where) throws BadTransaction {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new BadTransaction(where + ": \"" + field + "\" is required");
    }
    if (!value.isTextual()) {
      throw new BadTransaction(where + ": \"" + field + "\" must be a string");
    }
    return value.asText();
  }

  /**
   * An unsigned integer field: a JSON integer or a decimal string, at most {@code max} (-1: any
   * u64, returned as its two's-complement bits).
   */
  private static long number(JsonNode node, String field, String where, Number otherwise, long max)
      throws BadTransaction {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (otherwise == null) {
        throw new BadTransaction(where + ": \"" + field + "\" is required");
      }
      return otherwise.longValue();
    }
    BigInteger n;
    if (value.isIntegralNumber()) {
      n = value.bigIntegerValue();
    } else if (value.isTextual() && value.asText().matches("[0-9]{1,20}")) {
      n = new BigInteger(value.asText());
    } else {
      throw new BadTransaction(
          where
              + ": \""
              + field
              + "\" must be a non-negative integer (a number or a decimal string)");
    }
    BigInteger limit = max < 0 ? U64_MAX : BigInteger.valueOf(max);
    if (n.signum() < 0 || n.compareTo(limit) > 0) {
      throw new BadTransaction(where + ": \"" + field + "\" must be 0.." + limit + ", got " + n);
    }
    return n.longValue();
  }

  private static byte[] bytes(
      JsonNode node, String field, String where, int length, byte[] otherwise)
      throws BadTransaction {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (otherwise == null) {
        throw new BadTransaction(where + ": \"" + field + "\" is required");
      }
      return otherwise;
    }
    String text = value.isTextual() ? value.asText() : "";
    if (text.length() != 2 * length || !text.matches("[0-9a-f]*")) {
      throw new BadTransaction(
          where + ": \"" + field + "\" must be " + length + " bytes of lower-case hex");
    }
    return HEX.parseHex(text);
  }
}
