package dev.agentledger.node.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.node.commit.CommitSignature;
import dev.agentledger.node.json.StrictJson;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A self-contained, offline-verifiable answer: a certified commit (its canonical record bytes and
 * the validators' signatures) plus either a transaction's audit paths into the commit's tree heads
 * or a sparse Merkle proof into its state root. JSON, compact, lower-case hex:
 *
 * <pre>
 * {"type":"transaction","commit":hex,"certificate":[{"validator":hex,"signature":hex},...],
 *  "transaction":hex,"index":n,"txPath":[hex,...],"receipt":hex,"receiptPath":[hex,...]}
 * {"type":"state","commit":hex,"certificate":[...],"subject":{...},"value":hex|null,
 *  "leafKey":hex|null,"leafValueHash":hex|null,"siblings":[hex,...]}
 * </pre>
 */
public sealed interface LedgerProof {
  HexFormat HEX = HexFormat.of();

  byte[] commit();

  List<CommitSignature> certificate();

  ObjectNode toJson();

  record Transaction(
      byte[] commit,
      List<CommitSignature> certificate,
      byte[] transaction,
      long index,
      List<byte[]> txPath,
      byte[] receipt,
      List<byte[]> receiptPath)
      implements LedgerProof {
    public ObjectNode toJson() {
      ObjectNode root = head("transaction", commit, certificate);
      root.put("transaction", HEX.formatHex(transaction)).put("index", index);
      hashes(root.putArray("txPath"), txPath);
      root.put("receipt", HEX.formatHex(receipt));
      hashes(root.putArray("receiptPath"), receiptPath);
      return root;
    }
  }

  record State(
      byte[] commit,
      List<CommitSignature> certificate,
      StateSubject subject,
      byte[] value,
      byte[] leafKey,
      byte[] leafValueHash,
      List<byte[]> siblings)
      implements LedgerProof {
    public ObjectNode toJson() {
      ObjectNode root = head("state", commit, certificate);
      root.set("subject", subject.toJson());
      hexOrNull(root, "value", value);
      hexOrNull(root, "leafKey", leafKey);
      hexOrNull(root, "leafValueHash", leafValueHash);
      hashes(root.putArray("siblings"), siblings);
      return root;
    }
  }

  private static ObjectNode head(String type, byte[] commit, List<CommitSignature> certificate) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("type", type).put("commit", HEX.formatHex(commit));
    ArrayNode sigs = root.putArray("certificate");
    for (CommitSignature s : certificate) {
      sigs.addObject()
          .put("validator", HEX.formatHex(s.validator()))
          .put("signature", HEX.formatHex(s.signature()));
    }
    return root;
  }

  private static void hashes(ArrayNode array, List<byte[]> hashes) {
    hashes.forEach(h -> array.add(HEX.formatHex(h)));
  }

  private static void hexOrNull(ObjectNode node, String name, byte[] value) {
    if (value == null) {
      node.putNull(name);
    } else {
      node.put(name, HEX.formatHex(value));
    }
  }

  /** Parses a proof strictly; throws {@link IllegalArgumentException} naming what is malformed. */
  static LedgerProof fromJson(String json) {
    return fromJson(StrictJson.parse(json));
  }

  static LedgerProof fromJson(JsonNode root) {
    if (!root.has("type") && root.has("proof")) {
      // A whole query answer: only its proof member is verified (the rest is informational).
      return fromJson(root.get("proof"));
    }
    String type = StrictJson.text(root, "type");
    switch (type) {
      case "transaction" -> {
        StrictJson.fields(
            root,
            "proof",
            "type",
            "commit",
            "certificate",
            "transaction",
            "index",
            "txPath",
            "receipt",
            "receiptPath");
        return new Transaction(
            StrictJson.hex(root, "commit", -1),
            certificate(root),
            StrictJson.hex(root, "transaction", -1),
            StrictJson.unsignedLong(root, "index"),
            StrictJson.hashes(root, "txPath"),
            StrictJson.hex(root, "receipt", -1),
            StrictJson.hashes(root, "receiptPath"));
      }
      case "state" -> {
        StrictJson.fields(
            root,
            "proof",
            "type",
            "commit",
            "certificate",
            "subject",
            "value",
            "leafKey",
            "leafValueHash",
            "siblings");
        return new State(
            StrictJson.hex(root, "commit", -1),
            certificate(root),
            StateSubject.fromJson(root.get("subject")),
            hexOrNull(root, "value", -1),
            hexOrNull(root, "leafKey", 32),
            hexOrNull(root, "leafValueHash", 32),
            StrictJson.hashes(root, "siblings"));
      }
      default -> throw new IllegalArgumentException("unknown proof type '" + type + "'");
    }
  }

  private static byte[] hexOrNull(JsonNode root, String name, int length) {
    JsonNode v = root.get(name);
    return v.isNull() ? null : StrictJson.hexValue(v, name, length);
  }

  private static List<CommitSignature> certificate(JsonNode root) {
    List<CommitSignature> out = new ArrayList<>();
    for (JsonNode s : StrictJson.array(root, "certificate")) {
      StrictJson.fields(s, "certificate entry", "validator", "signature");
      out.add(
          new CommitSignature(
              StrictJson.hex(s, "validator", 32), StrictJson.hex(s, "signature", 64)));
    }
    return out;
  }
}
