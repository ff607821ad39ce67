package dev.agentledger.sig.accel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.accel.Backends;
import dev.agentledger.accel.ProbeResult;
import dev.agentledger.accel.opencl.OpenClBackend;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.testing.EdgeCases;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenCL Ed25519 kernel of accel-kernels against sig-verify's own ZIP-215 single verification:
 * on the RFC 8032, Wycheproof and ZIP-215 edge-case vectors and on a few hundred random items
 * mixing valid signatures with small-order / torsion / non-canonical encodings and corruptions.
 * Skipped (with the probe's reason) where no OpenCL platform is installed. Batches stay small: PoCL
 * compiles the program once (then it is cached under ~/.cache/agentledger/opencl) and runs on the
 * CPU.
 */
class OpenClEd25519CrossCheckTest {
  private static OpenClBackend opencl;

  @BeforeAll
  static void open() {
    opencl = new OpenClBackend();
    ProbeResult probe = opencl.probe();
    assumeTrue(
        probe.available(), () -> "no OpenCL here: " + probe.reason().orElse("unknown reason"));
  }

  @AfterAll
  static void close() {
    if (opencl != null) {
      opencl.close();
    }
  }

  /** Verifies the items on OpenCL in one batch and compares each verdict with Ed25519.verify. */
  private static int crossCheck(List<EdgeCases.Item> items, boolean checkPinned) {
    int n = items.size();
    byte[][] p = new byte[n][], s = new byte[n][], m = new byte[n][];
    for (int i = 0; i < n; i++) {
      p[i] = items.get(i).publicKey();
      s[i] = items.get(i).signature();
      m[i] = items.get(i).message();
    }
    boolean[] device = Backends.verifyEd25519(opencl, p, s, m);
    int valid = 0;
    for (int i = 0; i < n; i++) {
      EdgeCases.Item item = items.get(i);
      String label = item.category() + " #" + i + " pk=" + HexFormat.of().formatHex(p[i]);
      assertThat(device[i]).as(label).isEqualTo(Ed25519.verify(p[i], s[i], m[i]));
      if (checkPinned) {
        assertThat(device[i]).as(label).isEqualTo(item.expected());
      }
      valid += device[i] ? 1 : 0;
    }
    return valid;
  }

  @Test
  void agreesOnEveryCommittedVector() throws IOException {
    List<EdgeCases.Item> items = new ArrayList<>(EdgeCases.vectors());
    try (InputStream in = getClass().getResourceAsStream("/vectors/rfc8032-ed25519.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        String[] f = t.split("\\s+");
        HexFormat hex = HexFormat.of();
        items.add(
            new EdgeCases.Item(
                "rfc8032",
                true,
                hex.parseHex(f[1]),
                hex.parseHex(f[3]),
                f[2].equals("-") ? new byte[0] : hex.parseHex(f[2])));
      }
    }
    try (InputStream in = getClass().getResourceAsStream("/vectors/wycheproof-eddsa-subset.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        String[] f = t.split("\\s+");
        HexFormat hex = HexFormat.of();
        items.add(
            new EdgeCases.Item(
                "wycheproof-" + f[0],
                f[1].equals("valid"),
                hex.parseHex(f[2]),
                hex.parseHex(f[4]),
                f[3].equals("-") ? new byte[0] : hex.parseHex(f[3])));
      }
    }
    assertThat(items).hasSizeGreaterThan(170);
    int valid = crossCheck(items, true);
    assertThat(valid).isBetween(10, items.size() - 10);
  }

  @Test
  void agreesOnRandomMixedItems() {
    Random random = new Random(0x0CE1);
    List<EdgeCases.Item> items = new ArrayList<>(EdgeCases.generate(random.nextLong()));
    List<EdgeCases.Item> edges = List.copyOf(items);
    byte[] seed = new byte[32];
    for (int i = 0; i < 160; i++) {
      random.nextBytes(seed);
      byte[] msg = new byte[random.nextInt(200)];
      random.nextBytes(msg);
      byte[] pk = Ed25519.publicKey(seed);
      byte[] sig = Ed25519.sign(seed, msg);
      switch (i % 5) {
        case 0, 1 -> {} // valid
        case 2 -> sig[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8)); // corrupted signature
        case 3 ->
            pk =
                edges
                    .get(random.nextInt(edges.size()))
                    .publicKey(); // edge-case key (torsion, non-canonical, ...)
        default ->
            System.arraycopy(
                edges.get(random.nextInt(edges.size())).signature(), 0, sig, 0, 32); // edge-case R
      }
      items.add(new EdgeCases.Item("random-" + i % 5, false, pk, sig, msg));
    }
    java.util.Collections.shuffle(items, random);
    assertThat(items).hasSizeGreaterThan(250);
    int valid = crossCheck(items, false);
    assertThat(valid).isBetween(50, items.size() - 50);
  }
}
