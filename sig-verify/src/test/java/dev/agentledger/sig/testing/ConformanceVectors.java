package dev.agentledger.sig.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The Ed25519 vectors of the shared conformance corpus ({@code ../shared/conformance/vectors/} from
 * the repository root: RFC 8032, Wycheproof (current and legacy), ZIP-215, speccheck), as (public
 * key, signature, message) items. Absent outside the development checkout: {@link #directory}
 * returns empty and tests skip.
 */
public final class ConformanceVectors {
  /** One item: the file and case it came from, and the three inputs. */
  public record Item(String source, byte[] publicKey, byte[] signature, byte[] message) {}

  private static final HexFormat HEX = HexFormat.of();

  private ConformanceVectors() {}

  /** The corpus directory: -Dagentledger.conformance.dir, else ../../shared/... from the module. */
  public static Optional<Path> directory() {
    String configured = System.getProperty("agentledger.conformance.dir");
    for (Path candidate :
        configured != null
            ? List.of(Path.of(configured))
            : List.of(
                Path.of("..", "..", "shared", "conformance", "vectors"),
                Path.of("..", "shared", "conformance", "vectors"))) {
      if (Files.isDirectory(candidate) && Files.exists(candidate.resolve("zip215.json"))) {
        return Optional.of(candidate.toAbsolutePath().normalize());
      }
    }
    return Optional.empty();
  }

  /** Every Ed25519 item of the corpus in {@code dir}. */
  public static List<Item> ed25519(Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Item> items = new ArrayList<>();
    JsonNode rfc = json.readTree(dir.resolve("rfc8032.json").toFile());
    for (JsonNode v : rfc.get("vectors")) {
      items.add(
          new Item(
              "rfc8032 " + v.get("name").asText(),
              hex(v, "public_key"),
              hex(v, "signature"),
              hex(v, "message")));
    }
    JsonNode zip = json.readTree(dir.resolve("zip215.json").toFile());
    byte[] zipMessage = hex(zip, "message_hex");
    int i = 0;
    for (JsonNode c : zip.get("cases")) {
      items.add(new Item("zip215 #" + i++, hex(c, "vk"), hex(c, "sig"), zipMessage));
    }
    JsonNode spec = json.readTree(dir.resolve("speccheck.json").toFile());
    i = 0;
    for (JsonNode c : spec.get("cases")) {
      items.add(
          new Item("speccheck #" + i++, hex(c, "pub_key"), hex(c, "signature"), hex(c, "message")));
    }
    for (String name :
        List.of("wycheproof_ed25519_test.json", "wycheproof_eddsa_test_legacy.json")) {
      JsonNode w = json.readTree(dir.resolve(name).toFile());
      for (JsonNode group : w.get("testGroups")) {
        JsonNode key = group.has("publicKey") ? group.get("publicKey") : group.get("key");
        byte[] pk = HEX.parseHex(key.get("pk").asText());
        for (JsonNode t : group.get("tests")) {
          items.add(
              new Item(name + " tcId " + t.get("tcId").asInt(), pk, hex(t, "sig"), hex(t, "msg")));
        }
      }
    }
    return items;
  }

  private static byte[] hex(JsonNode node, String field) {
    return HEX.parseHex(node.get(field).asText());
  }
}
