package dev.agentledger.sig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.accel.Backends;
import dev.agentledger.accel.ProbeResult;
import dev.agentledger.accel.opencl.OpenClBackend;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import dev.agentledger.sig.testing.ConformanceVectors;
import dev.agentledger.sig.testing.RefEd25519;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every Ed25519 vector of the shared conformance corpus: single verification agrees with the
 * BigInteger reference, batch verification (one batch of all, in several orders) agrees with single
 * verification item by item, and both OpenCL kernels, per-signature and grouped (where an OpenCL
 * platform exists, PoCL here), agree with the CPU. ZIP-215's own cases must all be valid.
 */
class ConformanceCorpusTest {
  private static List<ConformanceVectors.Item> items() throws IOException {
    Optional<Path> dir = ConformanceVectors.directory();
    assumeTrue(dir.isPresent(), "the shared conformance corpus is not next to this checkout");
    List<ConformanceVectors.Item> all = ConformanceVectors.ed25519(dir.get());
    assertThat(all).hasSizeGreaterThan(450);
    return all;
  }

  /** Items of the wire shape (32-byte key, 64-byte signature); others are rejected by size. */
  private static List<ConformanceVectors.Item> wellFormed(List<ConformanceVectors.Item> all) {
    List<ConformanceVectors.Item> out = new ArrayList<>();
    for (ConformanceVectors.Item item : all) {
      if (item.publicKey().length == 32 && item.signature().length == 64) {
        out.add(item);
      }
    }
    return out;
  }

  @Test
  void singleAndBatchAgreeWithTheReference() throws IOException {
    List<ConformanceVectors.Item> items = wellFormed(items());
    boolean[] single = new boolean[items.size()];
    for (int i = 0; i < items.size(); i++) {
      ConformanceVectors.Item item = items.get(i);
      single[i] = Ed25519.verify(item.publicKey(), item.signature(), item.message());
      assertThat(single[i])
          .as(item.source())
          .isEqualTo(RefEd25519.verifyZip215(item.publicKey(), item.signature(), item.message()));
      if (item.source().startsWith("zip215")) {
        assertThat(single[i]).as(item.source()).isTrue();
      }
    }
    // both batch modes: eight vector lanes (AVX-512) and the scalar formulas (narrower CPUs)
    for (boolean lanes : new boolean[] {true, false}) {
      assertBatchAgrees(items, single, new CpuBatchVerifier(new SecureRandom(), lanes));
    }
  }

  private static void assertBatchAgrees(
      List<ConformanceVectors.Item> items, boolean[] single, CpuBatchVerifier batchVerifier) {
    for (int rotation : new int[] {0, 1, 97, items.size() / 2}) {
      SignatureBatch batch = new SignatureBatch(items.size());
      for (int j = 0; j < items.size(); j++) {
        ConformanceVectors.Item item = items.get((j + rotation) % items.size());
        batch.add(item.publicKey(), item.signature(), item.message());
      }
      boolean[] verdicts = new boolean[items.size()];
      batchVerifier.verify(batch, verdicts);
      for (int j = 0; j < items.size(); j++) {
        int i = (j + rotation) % items.size();
        assertThat(verdicts[j]).as(items.get(i).source()).isEqualTo(single[i]);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(OpenClBackend.Ed25519Kernel.class)
  void openClAgreesWithTheCpu(OpenClBackend.Ed25519Kernel kernel) throws IOException {
    List<ConformanceVectors.Item> items = wellFormed(items());
    try (OpenClBackend opencl = new OpenClBackend(kernel)) {
      ProbeResult probe = opencl.probe();
      assumeTrue(
          probe.available(), () -> "no OpenCL here: " + probe.reason().orElse("unknown reason"));
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
        assertThat(device[i]).as(items.get(i).source()).isEqualTo(Ed25519.verify(p[i], s[i], m[i]));
        valid += device[i] ? 1 : 0;
      }
      assertThat(valid).isGreaterThan(200);
    }
  }
}
