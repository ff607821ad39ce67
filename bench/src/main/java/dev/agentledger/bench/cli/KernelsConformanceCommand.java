package dev.agentledger.bench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentledger.accel.AccelException;
import dev.agentledger.accel.Backend;
import dev.agentledger.accel.BackendRegistry;
import dev.agentledger.accel.Backends;
import dev.agentledger.accel.Capability;
import dev.agentledger.node.cli.MalformedInputException;
import dev.agentledger.sig.Ed25519;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kernels conformance --backend B}: the third-party vectors of the shared conformance folder
 * (see its README) through one backend's kernels. Every Ed25519 item of the RFC 8032, ZIP-215,
 * speccheck and both Wycheproof files is verified on the backend in one batch per file and must get
 * the verdict of sig-verify's single ZIP-215 verification on the CPU (and, where the file pins it,
 * the published ZIP-215 verdict); items whose key or signature has the wrong length cannot enter a
 * device batch and are counted as refused before it (the node's wire format fixes both lengths).
 * Every SHA-256 digest and every RFC 6962 tree head of the Merkle file must match. Exit 0 when all
 * agree, 1 otherwise or when the backend is unavailable, 2 for a missing vectors folder.
 */
@Command(
    name = "conformance",
    mixinStandardHelpOptions = true,
    description = {
      "Run the shared conformance vectors (Ed25519: rfc8032, zip215, speccheck, wycheproof; sha256; merkle_rfc6962)"
          + " through one backend's kernels; every verdict must equal the CPU's, every digest and root the published one.",
      "Vectors: --vectors DIR, else $AGENTLEDGER_VECTORS, else shared/conformance/vectors in or beside the project root."
    })
final class KernelsConformanceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--backend",
      paramLabel = "BACKEND",
      defaultValue = "cpu",
      description = "cpu, opencl or cuda (default ${DEFAULT-VALUE}).")
  String backendName;

  @Option(names = "--vectors", paramLabel = "DIR", description = "The vectors folder.")
  Path vectors;

  @Option(names = "--json", description = "Machine-readable output.")
  boolean json;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One file's outcome. */
  record Row(String file, String kernel, int items, int agree, int refused, List<String> problems) {
    boolean passed() {
      return problems.isEmpty() && agree + refused == items;
    }
  }

  /** One Ed25519 item and, where the file pins it, the expected ZIP-215 verdict (null: none). */
  private record Item(String id, byte[] key, byte[] signature, byte[] message, Boolean expected) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = locate();
    List<Row> rows = new ArrayList<>();
    try (BackendRegistry registry = BackendRegistry.discover()) {
      try {
        Backend ed = registry.byName(backendName, Capability.ED25519_VERIFY_BATCH);
        rows.add(ed25519(ed, dir, "rfc8032.json", rfc8032(dir)));
        rows.add(ed25519(ed, dir, "zip215.json", zip215(dir)));
        rows.add(ed25519(ed, dir, "speccheck.json", speccheck(dir)));
        rows.add(
            ed25519(
                ed,
                dir,
                "wycheproof_ed25519_test.json",
                wycheproof(dir, "wycheproof_ed25519_test.json", "publicKey")));
        rows.add(
            ed25519(
                ed,
                dir,
                "wycheproof_eddsa_test_legacy.json",
                wycheproof(dir, "wycheproof_eddsa_test_legacy.json", "key")));
        rows.add(sha256(registry.byName(backendName, Capability.SHA256_BATCH), dir));
        rows.add(merkle(registry.byName(backendName, Capability.MERKLE_ROOT), dir));
      } catch (AccelException e) {
        if (registry.find(backendName).isEmpty()) {
          throw new MalformedInputException(e.getMessage());
        }
        spec.commandLine().getErr().println("kernels conformance: " + e.getMessage());
        return 1;
      }
    }
    boolean ok = rows.stream().allMatch(Row::passed);
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("backend", backendName);
      doc.put("vectors", dir.toString());
      doc.put("passed", ok);
      doc.put("files", rows);
      out.println(MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
    } else {
      out.printf(Locale.ROOT, "conformance on %s (vectors %s)%n", backendName, dir);
      out.printf(
          Locale.ROOT,
          "%-36s %-8s %6s %6s %8s  %s%n",
          "file",
          "kernel",
          "items",
          "agree",
          "refused",
          "result");
      for (Row r : rows) {
        out.printf(
            Locale.ROOT,
            "%-36s %-8s %6d %6d %8d  %s%n",
            r.file(),
            r.kernel(),
            r.items(),
            r.agree(),
            r.refused(),
            r.passed() ? "ok" : "FAIL " + String.join("; ", r.problems()));
      }
      out.println(ok ? "conformance: passed" : "conformance: FAILED");
    }
    out.flush();
    return ok ? 0 : 1;
  }

  private Path locate() {
    List<Path> tried = new ArrayList<>();
    if (vectors != null) {
      tried.add(vectors);
    } else {
      String env = System.getenv("AGENTLEDGER_VECTORS");
      if (env != null && !env.isBlank()) {
        tried.add(Path.of(env));
      }
      Path home = Path.of(System.getProperty("agentledger.home", ".")).toAbsolutePath();
      tried.add(home.resolve("shared/conformance/vectors"));
      tried.add(home.resolveSibling("shared/conformance/vectors"));
    }
    for (Path p : tried) {
      if (Files.isRegularFile(p.resolve("zip215.json"))) {
        return p.normalize();
      }
    }
    throw new MalformedInputException(
        "no conformance vectors (zip215.json, ...) in " + tried + "; pass --vectors DIR");
  }

  private static JsonNode read(Path dir, String file) throws IOException {
    return MAPPER.readTree(Files.readString(dir.resolve(file), StandardCharsets.UTF_8));
  }

  private static byte[] hex(JsonNode node, String field) {
    return HexFormat.of().parseHex(node.get(field).asText());
  }

  private static List<Item> rfc8032(Path dir) throws IOException {
    List<Item> items = new ArrayList<>();
    for (JsonNode v : read(dir, "rfc8032.json").get("vectors")) {
      items.add(
          new Item(
              v.get("name").asText(),
              hex(v, "public_key"),
              hex(v, "signature"),
              hex(v, "message"),
              true));
    }
    return items;
  }

  private static List<Item> zip215(Path dir) throws IOException {
    JsonNode doc = read(dir, "zip215.json");
    byte[] message = hex(doc, "message_hex");
    List<Item> items = new ArrayList<>();
    int i = 0;
    for (JsonNode c : doc.get("cases")) {
      items.add(new Item("case " + i++, hex(c, "vk"), hex(c, "sig"), message, true));
    }
    return items;
  }

  private static List<Item> speccheck(Path dir) throws IOException {
    List<Item> items = new ArrayList<>();
    for (JsonNode c : read(dir, "speccheck.json").get("cases")) {
      items.add(
          new Item(
              "index " + c.get("index").asText(),
              hex(c, "pub_key"),
              hex(c, "signature"),
              hex(c, "message"),
              c.get("zip215_expected").asBoolean()));
    }
    return items;
  }

  private static List<Item> wycheproof(Path dir, String file, String keyField) throws IOException {
    List<Item> items = new ArrayList<>();
    for (JsonNode group : read(dir, file).get("testGroups")) {
      byte[] key = hex(group.get(keyField), "pk");
      for (JsonNode t : group.get("tests")) {
        items.add(
            new Item("tcId " + t.get("tcId").asText(), key, hex(t, "sig"), hex(t, "msg"), null));
      }
    }
    return items;
  }

  private static Row ed25519(Backend backend, Path dir, String file, List<Item> all) {
    List<Item> batch = new ArrayList<>();
    int refused = 0;
    List<String> problems = new ArrayList<>();
    for (Item item : all) {
      if (item.key().length != 32 || item.signature().length != 64) {
        refused++;
        if (Boolean.TRUE.equals(item.expected())) {
          problems.add(item.id() + ": expected valid but has a malformed length");
        }
      } else {
        batch.add(item);
      }
    }
    int n = batch.size();
    byte[][] keys = new byte[n][], signatures = new byte[n][], messages = new byte[n][];
    for (int i = 0; i < n; i++) {
      keys[i] = batch.get(i).key();
      signatures[i] = batch.get(i).signature();
      messages[i] = batch.get(i).message();
    }
    boolean[] device = run(() -> Backends.verifyEd25519(backend, keys, signatures, messages));
    int agree = 0;
    for (int i = 0; i < n; i++) {
      Item item = batch.get(i);
      boolean cpu = Ed25519.verify(keys[i], signatures[i], messages[i]);
      boolean pinned = item.expected() == null || item.expected() == device[i];
      if (device[i] == cpu && pinned) {
        agree++;
      } else if (problems.size() < 5) {
        problems.add(
            item.id()
                + ": "
                + backend.name()
                + " "
                + device[i]
                + ", cpu "
                + cpu
                + (item.expected() == null ? "" : ", published " + item.expected()));
      }
    }
    return new Row(file, "ed25519", all.size(), agree, refused, problems);
  }

  private static Row sha256(Backend backend, Path dir) throws IOException {
    List<String> problems = new ArrayList<>();
    int items = 0;
    int agree = 0;
    for (JsonNode v : read(dir, "sha256.json").get("vectors")) {
      items++;
      byte[] message;
      if (v.has("repeat")) {
        byte[] unit = v.get("repeat").asText().getBytes(StandardCharsets.UTF_8);
        int count = v.get("count").asInt();
        message = new byte[unit.length * count];
        for (int i = 0; i < count; i++) {
          System.arraycopy(unit, 0, message, i * unit.length, unit.length);
        }
      } else {
        message = hex(v, "message_hex");
      }
      ByteBuffer in = ByteBuffer.allocateDirect(Math.max(1, message.length)).put(0, message);
      ByteBuffer digest = ByteBuffer.allocateDirect(32);
      run(() -> backend.sha256Batch(in, message.length, 1, digest).join());
      byte[] got = new byte[32];
      digest.get(0, got);
      if (Arrays.equals(got, hex(v, "digest"))) {
        agree++;
      } else {
        problems.add(v.get("name").asText() + ": got " + HexFormat.of().formatHex(got));
      }
    }
    return new Row("sha256.json", "sha256", items, agree, 0, problems);
  }

  private static Row merkle(Backend backend, Path dir) throws IOException {
    JsonNode doc = read(dir, "merkle_rfc6962.json");
    List<byte[]> leaves = new ArrayList<>();
    for (JsonNode leaf : doc.get("leaves_hex")) {
      leaves.add(HexFormat.of().parseHex(leaf.asText()));
    }
    JsonNode roots = doc.get("roots_by_size");
    List<String> problems = new ArrayList<>();
    int agree = 0;
    for (int size = 0; size < roots.size(); size++) {
      List<byte[]> prefix = leaves.subList(0, size);
      byte[] got = run(() -> Backends.merkleRootOfLeaves(backend, prefix));
      if (Arrays.equals(got, HexFormat.of().parseHex(roots.get(size).asText()))) {
        agree++;
      } else {
        problems.add("size " + size + ": got " + HexFormat.of().formatHex(got));
      }
    }
    return new Row("merkle_rfc6962.json", "merkle", roots.size(), agree, 0, problems);
  }

  /** Unwraps a device failure so that it reaches the caller as the AccelException it is. */
  private static <T> T run(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (CompletionException e) {
      if (e.getCause() instanceof AccelException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
