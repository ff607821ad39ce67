package dev.agentledger.accel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance suite every backend runs: kernel outputs equal the CPU references (JDK
 * MessageDigest, a recursive RFC 6962 root, the BigInteger ZIP-215 reference and BouncyCastle) bit
 * for bit, on fresh random inputs (seed printed on failure) and on edge cases.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractBackendTest {
  protected Backend backend;
  private final long seed = System.nanoTime();

  protected abstract Backend create();

  @BeforeAll
  void open() {
    backend = create();
  }

  /** Per test, so that each skipped test carries the reason in the report. */
  @BeforeEach
  void requireDevice() {
    ProbeResult probe = backend.probe();
    assumeTrue(
        probe.available(),
        () -> "backend " + backend.name() + " unavailable here: " + probe.reason().orElse(""));
  }

  @AfterAll
  void close() {
    if (backend != null) {
      backend.close();
    }
  }

  private Random random() {
    return new Random(seed);
  }

  private String seedNote() {
    return "seed " + seed + " on " + backend.name();
  }

  @Test
  void sha256PublishedVectors() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/vectors/sha256-fips180.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(" ");
        byte[] msg = f[0].getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocateDirect(32);
        backend
            .sha256Batch(ByteBuffer.allocateDirect(msg.length).put(0, msg), msg.length, 1, out)
            .join();
        byte[] digest = new byte[32];
        out.get(0, digest);
        assertThat(digest).as(f[0]).isEqualTo(Ed25519Cases.hex(f[1]));
      }
    }
  }

  @Test
  void sha256BatchesMatchMessageDigest() {
    Random rnd = random();
    for (int size : new int[] {0, 1, 31, 55, 56, 63, 64, 65, 100, 119, 120, 128, 200, 1000}) {
      int count = 1 + rnd.nextInt(70);
      byte[] all = new byte[size * count];
      rnd.nextBytes(all);
      ByteBuffer in = ByteBuffer.allocateDirect(Math.max(1, all.length)).put(0, all);
      ByteBuffer out = ByteBuffer.allocateDirect(32 * count);
      LaunchTiming t = backend.sha256Batch(in, size, count, out).join();
      assertThat(t.items()).isEqualTo(count);
      for (int i = 0; i < count; i++) {
        byte[] msg = java.util.Arrays.copyOfRange(all, i * size, i * size + size);
        byte[] got = new byte[32];
        out.get(32 * i, got);
        assertThat(got)
            .as("size %d item %d %s", size, i, seedNote())
            .isEqualTo(Rfc6962Reference.sha256(msg));
      }
    }
  }

  private static List<byte[]> randomHashes(Random rnd, int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] leaf = new byte[rnd.nextInt(50)];
      rnd.nextBytes(leaf);
      out.add(Rfc6962Reference.leafHash(leaf));
    }
    return out;
  }

  private static ByteBuffer pack(List<byte[]> nodes) {
    ByteBuffer b = ByteBuffer.allocateDirect(Math.max(32, 32 * nodes.size()));
    for (int i = 0; i < nodes.size(); i++) {
      b.put(32 * i, nodes.get(i));
    }
    return b;
  }

  @Test
  void merkleLevelMatchesPairwiseHashing() {
    Random rnd = random();
    for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 33, 100, 257}) {
      List<byte[]> nodes = randomHashes(rnd, n);
      ByteBuffer out = ByteBuffer.allocateDirect(32 * ((n + 1) / 2));
      backend.merkleLevel(pack(nodes), n, out).join();
      for (int i = 0; 2 * i < n; i++) {
        byte[] expected =
            2 * i + 1 < n
                ? Rfc6962Reference.sha256(new byte[] {1}, nodes.get(2 * i), nodes.get(2 * i + 1))
                : nodes.get(2 * i);
        byte[] got = new byte[32];
        out.get(32 * i, got);
        assertThat(got).as("n %d parent %d %s", n, i, seedNote()).isEqualTo(expected);
      }
    }
  }

  @Test
  void merkleRootMatchesRecursiveRfc6962() {
    Random rnd = random();
    List<Integer> sizes = new ArrayList<>();
    for (int n = 1; n <= 40; n++) {
      sizes.add(n);
    }
    sizes.addAll(
        List.of(63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 1025, 2 + rnd.nextInt(5000)));
    // fused launches: several levels per launch, blocks of 128 (OpenCL) and 256 (CUDA) nodes
    sizes.addAll(List.of(16383, 16384, 16385, 32769, 40000 + rnd.nextInt(30000)));
    for (int n : sizes) {
      List<byte[]> leaves = randomHashes(rnd, n);
      ByteBuffer root = ByteBuffer.allocateDirect(32);
      backend.merkleRoot(pack(leaves), n, root).join();
      byte[] got = new byte[32];
      root.get(0, got);
      assertThat(got).as("n %d %s", n, seedNote()).isEqualTo(Rfc6962Reference.root(leaves, 0, n));
    }
  }

  @Test
  void ed25519VerdictsMatchTheRules() {
    assumeTrue(
        backend.supports(Capability.ED25519_VERIFY_BATCH),
        () -> backend.name() + " provides no Ed25519");
    List<Ed25519Cases.Case> cases = Ed25519Cases.all(seed, 48);
    byte[][] pubs = new byte[cases.size()][],
        sigs = new byte[cases.size()][],
        msgs = new byte[cases.size()][];
    for (int i = 0; i < cases.size(); i++) {
      pubs[i] = cases.get(i).pub();
      sigs[i] = cases.get(i).sig();
      msgs[i] = cases.get(i).msg();
    }
    Ed25519Batch batch = Ed25519Batch.of(pubs, sigs, msgs);
    ByteBuffer verdicts = ByteBuffer.allocateDirect(cases.size());
    backend.ed25519VerifyBatch(batch, verdicts).join();
    for (int i = 0; i < cases.size(); i++) {
      assertThat(verdicts.get(i) == 1)
          .as("%s %s", cases.get(i).label(), seedNote())
          .isEqualTo(cases.get(i).valid());
    }
  }
}
