package dev.agentledger.accel.opencl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.accel.Ed25519Batch;
import dev.agentledger.accel.Ed25519Cases;
import dev.agentledger.accel.ProbeResult;
import dev.agentledger.accel.opencl.OpenClBackend.Ed25519Kernel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The grouped Ed25519 kernel ({@code ed25519_grouped.cl}) on the OpenCL device: valid groups pass
 * their combined equation without a fallback (so the random linear combination itself is right,
 * torsioned and non-canonical points included), a group with an invalid item falls back and still
 * gives every item its own verdict, and all verdicts equal the per-signature kernel's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenClGroupedEd25519Test {
  private final long seed = System.nanoTime();
  private OpenClBackend grouped;
  private OpenClBackend perSignature;

  @BeforeAll
  void open() {
    grouped = new OpenClBackend(Ed25519Kernel.GROUPED);
    perSignature = new OpenClBackend(Ed25519Kernel.PER_SIGNATURE);
  }

  @BeforeEach
  void requireDevice() {
    ProbeResult probe = grouped.probe();
    assumeTrue(probe.available(), () -> "no OpenCL here: " + probe.reason().orElse(""));
  }

  @AfterAll
  void close() {
    grouped.close();
    perSignature.close();
  }

  private static boolean[] verify(OpenClBackend backend, List<Ed25519Cases.Case> cases) {
    byte[][] p = new byte[cases.size()][],
        s = new byte[cases.size()][],
        m = new byte[cases.size()][];
    for (int i = 0; i < cases.size(); i++) {
      p[i] = cases.get(i).pub();
      s[i] = cases.get(i).sig();
      m[i] = cases.get(i).msg();
    }
    ByteBuffer out = ByteBuffer.allocateDirect(cases.size());
    backend.ed25519VerifyBatch(Ed25519Batch.of(p, s, m), out).join();
    boolean[] verdicts = new boolean[cases.size()];
    for (int i = 0; i < cases.size(); i++) {
      verdicts[i] = out.get(i) == 1;
    }
    return verdicts;
  }

  @Test
  void validGroupsPassTheirCombinedEquation() {
    List<Ed25519Cases.Case> valid = new ArrayList<>();
    for (Ed25519Cases.Case c : Ed25519Cases.all(seed, 90)) {
      if (c.valid()) {
        valid.add(c);
      }
    }
    if (valid.size() % 8 == 0) {
      valid.remove(valid.size() - 1); // keep a partial last group
    }
    boolean[] verdicts = verify(grouped, valid);
    for (int i = 0; i < valid.size(); i++) {
      assertThat(verdicts[i]).as("%s seed %d", valid.get(i).label(), seed).isTrue();
    }
    assertThat(grouped.lastGroupFallbacks()).as("seed %d", seed).isZero();
  }

  @Test
  void oneInvalidItemFailsOnlyItsGroupAndKeepsEveryVerdict() {
    List<Ed25519Cases.Case> cases = new ArrayList<>();
    for (Ed25519Cases.Case c : Ed25519Cases.random(seed, 60)) {
      if (c.valid()) {
        cases.add(c);
      }
    }
    Ed25519Cases.Case victim = cases.get(13);
    byte[] msg = victim.msg().length == 0 ? new byte[] {1} : victim.msg().clone();
    msg[0] ^= 1;
    cases.set(13, new Ed25519Cases.Case("changed message", victim.pub(), victim.sig(), msg, false));
    boolean[] verdicts = verify(grouped, cases);
    for (int i = 0; i < cases.size(); i++) {
      assertThat(verdicts[i]).as("%s seed %d", cases.get(i).label(), seed).isEqualTo(i != 13);
    }
    assertThat(grouped.lastGroupFallbacks()).isEqualTo(1);
  }

  @Test
  void verdictsEqualThePerSignatureKernelOnRandomAndEdgeCases() {
    List<Ed25519Cases.Case> cases = Ed25519Cases.all(seed, 200);
    boolean[] a = verify(grouped, cases);
    boolean[] b = verify(perSignature, cases);
    int invalid = 0;
    for (int i = 0; i < cases.size(); i++) {
      assertThat(a[i]).as("%s seed %d", cases.get(i).label(), seed).isEqualTo(cases.get(i).valid());
      assertThat(a[i]).as("%s seed %d", cases.get(i).label(), seed).isEqualTo(b[i]);
      invalid += cases.get(i).valid() ? 0 : 1;
    }
    assertThat(grouped.lastGroupFallbacks()).isPositive().isLessThanOrEqualTo(invalid);
  }

  @Test
  void anUnknownKernelNameLeavesTheBackendUnavailable() {
    String old = System.getProperty(Ed25519Kernel.PROPERTY);
    System.setProperty(Ed25519Kernel.PROPERTY, "msm");
    try (OpenClBackend bad = new OpenClBackend()) {
      ProbeResult probe = bad.probe();
      assertThat(probe.available()).isFalse();
      assertThat(probe.reason().orElse(""))
          .contains("agentledger.opencl.ed25519 must be per-signature or grouped, not 'msm'");
    } finally {
      if (old == null) {
        System.clearProperty(Ed25519Kernel.PROPERTY);
      } else {
        System.setProperty(Ed25519Kernel.PROPERTY, old);
      }
    }
  }
}
