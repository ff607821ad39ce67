package dev.agentledger.bench.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One appliance node's hardware and the model parameters for a projection, read from YAML where
 * every number is a mapping {@code {value, unit, provenance, source}}. Optional GPU rates absent
 * (or {@code value: 0}) mean no GPU offload for that work.
 */
public record HardwareProfile(String name, String description, Map<String, Quantity> quantities) {
  /** Keys a profile must give. */
  public static final Set<String> REQUIRED =
      Set.of(
          "cores",
          "cpuSpeedFactor",
          "usableCpuFraction",
          "nicBitsPerSecond",
          "nicEfficiency",
          "bytesPerTxOnWire",
          "diskWriteBytesPerSecond",
          "bytesPersistedPerTx",
          "unmeasuredCpuNsPerTx",
          "validatorsPerShard");

  /** Keys a profile may give in addition. */
  public static final Set<String> OPTIONAL =
      Set.of("gpuSigverifyPerSecond", "gpuSha256BytesPerSecond", "hashBytesPerTx", "gpuEfficiency");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public Quantity get(String key) {
    Quantity q = quantities.get(key);
    if (q == null) {
      throw new IllegalArgumentException("profile " + name + " has no '" + key + "'");
    }
    return q;
  }

  /** The quantity, or absent when not given or zero. */
  public java.util.Optional<Quantity> optional(String key) {
    Quantity q = quantities.get(key);
    return q == null || q.value() == 0 ? java.util.Optional.empty() : java.util.Optional.of(q);
  }

  /**
   * Reads a profile from a file, or a shipped one by name ({@code this-machine}, {@code
   * h100-appliance-64c}).
   */
  public static HardwareProfile load(String fileOrName) throws IOException {
    Path path = Path.of(fileOrName);
    if (Files.isRegularFile(path)) {
      try (InputStream in = Files.newInputStream(path)) {
        return parse(in, path.toString());
      }
    }
    try (InputStream in =
        HardwareProfile.class.getResourceAsStream(
            "/hardware/" + fileOrName.replaceFirst("\\.yaml$", "") + ".yaml")) {
      if (in == null) {
        throw new IllegalArgumentException(
            "no hardware profile file '"
                + fileOrName
                + "' and no shipped profile of that name (shipped: this-machine, h100-appliance-64c)");
      }
      return parse(in, "shipped " + fileOrName);
    }
  }

  static HardwareProfile parse(InputStream in, String source) throws IOException {
    JsonNode root;
    try {
      root = YAML.readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          source + ": not YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + ": expected a mapping");
    }
    Map<String, Quantity> quantities = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      if (key.equals("name") || key.equals("description")) {
        continue;
      }
      if (!REQUIRED.contains(key) && !OPTIONAL.contains(key)) {
        throw new IllegalArgumentException(source + ": unknown key '" + key + "'");
      }
      JsonNode q = field.getValue();
      if (!q.path("value").isNumber()) {
        throw new IllegalArgumentException(source + ": " + key + ".value must be a number");
      }
      String provenance = q.path("provenance").asText("");
      Quantity.Provenance p;
      try {
        p = Quantity.Provenance.valueOf(provenance.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            source
                + ": "
                + key
                + ".provenance must be measured, published or assumed, got '"
                + provenance
                + "'");
      }
      if (p == Quantity.Provenance.DERIVED) {
        throw new IllegalArgumentException(
            source + ": " + key + ": a profile input cannot be 'derived'");
      }
      String src = q.path("source").asText("");
      if (src.isBlank()) {
        throw new IllegalArgumentException(
            source + ": " + key + ".source must say where the number comes from");
      }
      quantities.put(
          key, new Quantity(q.path("value").asDouble(), q.path("unit").asText(""), p, src));
    }
    for (String key : REQUIRED) {
      if (!quantities.containsKey(key)) {
        throw new IllegalArgumentException(source + ": missing '" + key + "'");
      }
    }
    return new HardwareProfile(
        root.path("name").asText("unnamed"), root.path("description").asText(""), quantities);
  }
}
