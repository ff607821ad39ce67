package dev.agentledger.accel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.accel.cpu.CpuBackend;
import dev.agentledger.accel.opencl.OpenClBackend;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The array helpers the conformance CLI wires behind {@code --backend}: every backend answers like
 * the references.
 */
class BackendsTest {
  @Test
  void merkleRootOfLeavesAgreesAcrossBackendsAndWithTheRecursiveDefinition() {
    try (BackendRegistry registry = BackendRegistry.discover()) {
      for (int n : new int[] {0, 1, 2, 3, 7, 100}) {
        List<byte[]> leaves = new ArrayList<>(), hashes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          byte[] leaf = ("leaf " + i).getBytes(StandardCharsets.US_ASCII);
          leaves.add(leaf);
          hashes.add(Rfc6962Reference.leafHash(leaf));
        }
        byte[] expected = Rfc6962Reference.root(hashes, 0, n);
        for (Backend b : registry.providing(Capability.MERKLE_ROOT)) {
          assertThat(Backends.merkleRootOfLeaves(b, leaves))
              .as("%s n=%d", b.name(), n)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void verifyEd25519GivesTheRuleVerdicts() {
    try (OpenClBackend opencl = new OpenClBackend()) {
      org.junit.jupiter.api.Assumptions.assumeTrue(
          opencl.probe().available(), () -> "no OpenCL: " + opencl.probe().reason().orElse(""));
      List<Ed25519Cases.Case> cases = Ed25519Cases.zip215Edges();
      byte[][] p = new byte[cases.size()][],
          s = new byte[cases.size()][],
          m = new byte[cases.size()][];
      for (int i = 0; i < cases.size(); i++) {
        p[i] = cases.get(i).pub();
        s[i] = cases.get(i).sig();
        m[i] = cases.get(i).msg();
      }
      boolean[] verdicts = Backends.verifyEd25519(opencl, p, s, m);
      for (int i = 0; i < cases.size(); i++) {
        assertThat(verdicts[i]).as(cases.get(i).label()).isEqualTo(cases.get(i).valid());
      }
      assertThat(Backends.verifyEd25519(opencl, new byte[0][], new byte[0][], new byte[0][]))
          .isEmpty();
    }
    assertThat(new CpuBackend().supports(Capability.ED25519_VERIFY_BATCH)).isFalse();
  }
}
