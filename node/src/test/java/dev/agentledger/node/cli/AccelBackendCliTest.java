package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.accel.ProbeResult;
import dev.agentledger.accel.cuda.CudaBackend;
import dev.agentledger.accel.opencl.OpenClBackend;
import dev.agentledger.node.cli.CliTestSupport.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code --backend B} of {@code tool merkle-root} and {@code tool ed25519-verify --batch}
 * (DESIGN.md section 10): the answers on accel-kernels backends equal the built-in CPU answers; an
 * unknown backend exits 2 with one line, an unavailable one exits 1 with the probe's reason.
 */
class AccelBackendCliTest {
  private static final HexFormat HEX = HexFormat.of();

  private static void assumeOpenCl() {
    try (OpenClBackend opencl = new OpenClBackend()) {
      ProbeResult p = opencl.probe();
      assumeTrue(p.available(), () -> "no OpenCL here: " + p.reason().orElse(""));
    }
  }

  private static String leafInput(Random random, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      byte[] leaf = new byte[i % 5 == 0 ? 32 : random.nextInt(70)];
      random.nextBytes(leaf);
      sb.append(HEX.formatHex(leaf)).append('\n');
    }
    return sb.toString();
  }

  private static void assertMerkleRootsEqual(String backend, int step) {
    Random random = new Random(70);
    for (int n = 0; n <= 70; n += step) {
      String input = leafInput(random, n);
      Result cpu = CliTestSupport.run(input, "tool", "merkle-root");
      Result accel = CliTestSupport.run(input, "tool", "merkle-root", "--backend", backend);
      assertThat(cpu.status()).as(cpu.err()).isZero();
      assertThat(accel.status()).as(accel.err()).isZero();
      assertThat(accel.out()).as("%s n=%d", backend, n).isEqualTo(cpu.out()).hasSize(65);
    }
  }

  @Test
  void merkleRootOnOpenClEqualsTheCpuRoot() {
    assumeOpenCl();
    assertMerkleRootsEqual("opencl", 1);
  }

  @Test
  void merkleRootOnTheHostBackendsEqualsTheCpuRoot() {
    assertMerkleRootsEqual("cpu", 7);
    assertMerkleRootsEqual("cpu-simd", 3);
  }

  /**
   * sig-verify's committed vectors (RFC 8032, Wycheproof subset, ZIP-215 edge cases) as tool input
   * lines.
   */
  private static String ed25519Input() throws IOException {
    Path vectors =
        Path.of(
            System.getProperty("basedir", "."),
            "..",
            "sig-verify",
            "src",
            "test",
            "resources",
            "vectors");
    StringBuilder sb = new StringBuilder();
    for (String line :
        Files.readAllLines(vectors.resolve("rfc8032-ed25519.txt"), StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] f = line.strip().split("\\s+");
        sb.append(f[1])
            .append(' ')
            .append(f[3])
            .append(f[2].equals("-") ? "" : " " + f[2])
            .append('\n');
      }
    }
    for (String line :
        Files.readAllLines(
            vectors.resolve("wycheproof-eddsa-subset.txt"), StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] f = line.strip().split("\\s+");
        sb.append(f[2])
            .append(' ')
            .append(f[4])
            .append(f[3].equals("-") ? "" : " " + f[3])
            .append('\n');
      }
    }
    int edges = 0;
    for (String line :
        Files.readAllLines(vectors.resolve("zip215-edge-cases.txt"), StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] f = line.strip().split("\\s+");
        sb.append(f[2])
            .append(' ')
            .append(f[3])
            .append(f[4].equals("-") ? "" : " " + f[4])
            .append('\n');
        edges++;
      }
    }
    assertThat(edges).isGreaterThan(100);
    return sb.toString();
  }

  private static void assertVerdictsEqual(String backend) throws IOException {
    String input = ed25519Input();
    Result single = CliTestSupport.run(input, "tool", "ed25519-verify");
    assertThat(single.status()).as(single.err()).isZero();
    List<String> verdicts = single.outLines();
    assertThat(verdicts).contains("ok", "bad");
    for (String batchSize : new String[] {"1024", "16"}) {
      Result accel =
          CliTestSupport.run(
              input,
              "tool",
              "ed25519-verify",
              "--batch",
              "--batch-size",
              batchSize,
              "--backend",
              backend);
      assertThat(accel.status()).as(accel.err()).isZero();
      assertThat(accel.outLines()).as("%s batch size %s", backend, batchSize).isEqualTo(verdicts);
    }
  }

  @Test
  void ed25519VerifyOnOpenClEqualsTheCpuVerdicts() throws IOException {
    assumeOpenCl();
    assertVerdictsEqual("opencl");
  }

  @Test
  void ed25519VerifyOnTheHostBackendEqualsTheCpuVerdicts() throws IOException {
    assertVerdictsEqual("cpu");
  }

  @Test
  void anUnknownBackendIsMalformedInput() {
    for (String[] args :
        List.of(
            new String[] {"tool", "merkle-root", "--backend", "quantum"},
            new String[] {"tool", "ed25519-verify", "--batch", "--backend", "quantum"})) {
      Result r = CliTestSupport.run("00\n", args);
      assertThat(r.status()).isEqualTo(2);
      assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).contains("unknown backend 'quantum'").contains("opencl");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void anUnavailableBackendFailsWithTheProbesReason() {
    String reason;
    try (CudaBackend cuda = new CudaBackend()) {
      ProbeResult p = cuda.probe();
      assumeTrue(!p.available(), "CUDA is available here");
      reason = p.reason().orElseThrow();
    }
    String key = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    for (String[] args :
        List.of(
            new String[] {"tool", "merkle-root", "--backend", "cuda"},
            new String[] {"tool", "ed25519-verify", "--batch", "--backend", "cuda"})) {
      Result r = CliTestSupport.run(key + " " + "00".repeat(64) + "\n", args);
      assertThat(r.status()).as(r.err()).isEqualTo(1);
      assertThat(r.err().lines().count()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).contains("cuda").contains(reason);
      assertThat(r.out()).isEmpty();
    }
  }
}
