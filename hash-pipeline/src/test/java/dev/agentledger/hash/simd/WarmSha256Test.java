package dev.agentledger.hash.simd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gated engine gives the engine's digests whichever way the gate stands: held shut (the JDK's
 * SHA-256), held open (the engine), and measuring (either, call by call).
 */
class WarmSha256Test {
  private static final int[] MODES = {WarmSha256.SHUT, WarmSha256.OPEN, WarmSha256.MEASURED};

  @AfterEach
  void measureAgain() {
    WarmSha256.force(WarmSha256.MEASURED);
  }

  private static byte[] reference(int prefix, byte[] in, int offset, int length) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    if (prefix >= 0) {
      md.update((byte) prefix);
    }
    md.update(in, offset, length);
    return md.digest();
  }

  @Test
  void everyEntryPointMatchesMessageDigestInEveryMode() throws Exception {
    Random random = new Random(65);
    for (int mode : MODES) {
      WarmSha256.force(mode);
      // Enough calls in the measured mode to pass through timed JDK calls and engine probes.
      for (int round = 0; round < 4 * WarmSha256.PROBE_EVERY; round++) {
        int count = 1 + random.nextInt(2 * MultiBufferSha256.LANES + 3);
        int inOffset = random.nextInt(5);
        int outOffset = random.nextInt(5);
        int prefix = random.nextInt(2);
        byte[] in = new byte[inOffset + 64 * count];
        random.nextBytes(in);
        byte[] out = new byte[outOffset + 32 * count];
        WarmSha256.hashPrefixed64(prefix, in, inOffset, count, out, outOffset);
        for (int i = 0; i < count; i++) {
          assertThat(Arrays.copyOfRange(out, outOffset + 32 * i, outOffset + 32 * i + 32))
              .isEqualTo(reference(prefix, in, inOffset + 64 * i, 64));
        }
        WarmSha256.hashLeaves32(in, inOffset, count, out, outOffset);
        for (int i = 0; i < count; i++) {
          assertThat(Arrays.copyOfRange(out, outOffset + 32 * i, outOffset + 32 * i + 32))
              .isEqualTo(reference(0, in, inOffset + 32 * i, 32));
        }
        int length = random.nextInt(130);
        byte[] values = new byte[inOffset + length * count];
        random.nextBytes(values);
        WarmSha256.digestFixed(values, inOffset, length, count, out, outOffset);
        for (int i = 0; i < count; i++) {
          assertThat(Arrays.copyOfRange(out, outOffset + 32 * i, outOffset + 32 * i + 32))
              .isEqualTo(reference(-1, values, inOffset + length * i, length));
        }
      }
    }
  }

  @Test
  void heldModesDecideAndEmptyBatchesWriteNothing() {
    WarmSha256.force(WarmSha256.OPEN);
    assertThat(WarmSha256.warm()).isTrue();
    WarmSha256.force(WarmSha256.SHUT);
    assertThat(WarmSha256.warm()).isFalse();
    byte[] out = new byte[32];
    WarmSha256.hashPrefixed64(1, new byte[0], 0, 0, out, 0);
    assertThat(out).containsOnly(0);
    assertThatThrownBy(() -> WarmSha256.force(7)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void exercisingTheRoutesLeavesTheGateAsItWas() throws Exception {
    for (int mode : MODES) {
      WarmSha256.force(mode);
      boolean warm = WarmSha256.warm();
      long probes = WarmSha256.probes();
      long switches = WarmSha256.switches();
      WarmSha256.exerciseRoutes();
      assertThat(WarmSha256.warm()).as("mode %d", mode).isEqualTo(warm);
      assertThat(WarmSha256.probes()).as("mode %d", mode).isEqualTo(probes);
      assertThat(WarmSha256.switches()).as("mode %d", mode).isEqualTo(switches);
      // and the gate still hashes right
      byte[] in = new byte[64 * 3];
      Arrays.fill(in, (byte) mode);
      byte[] out = new byte[32 * 3];
      WarmSha256.hashLeaves32(in, 0, 3, out, 0);
      for (int i = 0; i < 3; i++) {
        assertThat(Arrays.copyOfRange(out, 32 * i, 32 * i + 32))
            .isEqualTo(reference(0, in, 32 * i, 32));
      }
    }
  }

  @Test
  void eachKindOfMessageOpensAndShutsItsOwnGate() {
    WarmSha256.force(WarmSha256.MEASURED);
    int[] kinds = {WarmSha256.PREFIXED, WarmSha256.FIXED, WarmSha256.LEAVES};
    for (int kind : kinds) {
      WarmSha256.timed(kind, WarmSha256.JDK_TIMED, 1_000, 1); // the JDK: 1 µs per block
      WarmSha256.timed(kind, WarmSha256.ENGINE_RECHECK, 1_000_000, 1); // shut if it was open
    }
    for (int win = 0; win < WarmSha256.WINS; win++) {
      WarmSha256.timed(WarmSha256.FIXED, WarmSha256.ENGINE_PROBE, 10, 1);
    }
    assertThat(WarmSha256.warm(WarmSha256.FIXED)).isTrue();
    assertThat(WarmSha256.warm(WarmSha256.PREFIXED)).isFalse();
    assertThat(WarmSha256.warm(WarmSha256.LEAVES)).isFalse();
    assertThat(WarmSha256.warm()).isTrue();
    // a slow recheck of another kind shuts nothing of this one's
    WarmSha256.timed(WarmSha256.LEAVES, WarmSha256.ENGINE_RECHECK, 1_000_000, 1);
    assertThat(WarmSha256.warm(WarmSha256.FIXED)).isTrue();
    WarmSha256.timed(WarmSha256.FIXED, WarmSha256.ENGINE_RECHECK, 1_000_000, 1);
    assertThat(WarmSha256.warm(WarmSha256.FIXED)).isFalse();
  }

  @Test
  void onlyCallsOfFourVectorsOrMoreAreTimedAndJudged() {
    WarmSha256.force(WarmSha256.MEASURED);
    int small = WarmSha256.JUDGED_MESSAGES - 1;
    // shut (no wins taken in): small calls go to the JDK untimed, however many
    WarmSha256.timed(WarmSha256.LEAVES, WarmSha256.ENGINE_RECHECK, Long.MAX_VALUE / 1000, 1);
    assertThat(WarmSha256.warm(WarmSha256.LEAVES)).isFalse();
    for (int i = 0; i < 4 * WarmSha256.PROBE_EVERY; i++) {
      assertThat(WarmSha256.route(WarmSha256.LEAVES, small)).isEqualTo(WarmSha256.JDK_PLAIN);
    }
    // a judged call of a shut gate: every PROBE_EVERY-th is timed through the JDK
    boolean timedJdk = false;
    for (int i = 0; i < WarmSha256.PROBE_EVERY; i++) {
      int route = WarmSha256.route(WarmSha256.LEAVES, WarmSha256.JUDGED_MESSAGES);
      assertThat(route).isNotEqualTo(WarmSha256.ENGINE);
      timedJdk |= route == WarmSha256.JDK_TIMED;
    }
    assertThat(timedJdk).isTrue();
    // open: small calls go to the engine and are never rechecked
    WarmSha256.timed(WarmSha256.LEAVES, WarmSha256.JDK_TIMED, 1_000, 1);
    for (int win = 0; win < WarmSha256.WINS; win++) {
      WarmSha256.timed(WarmSha256.LEAVES, WarmSha256.ENGINE_PROBE, 10, 1);
    }
    assertThat(WarmSha256.warm(WarmSha256.LEAVES)).isTrue();
    for (int i = 0; i < 4 * WarmSha256.RECHECK_EVERY; i++) {
      assertThat(WarmSha256.route(WarmSha256.LEAVES, small)).isEqualTo(WarmSha256.ENGINE);
    }
    boolean rechecked = false;
    for (int i = 0; i < WarmSha256.RECHECK_EVERY; i++) {
      int route = WarmSha256.route(WarmSha256.LEAVES, WarmSha256.JUDGED_MESSAGES);
      assertThat(route).isIn(WarmSha256.ENGINE, WarmSha256.ENGINE_RECHECK);
      rechecked |= route == WarmSha256.ENGINE_RECHECK;
    }
    assertThat(rechecked).isTrue();
    WarmSha256.timed(WarmSha256.LEAVES, WarmSha256.ENGINE_RECHECK, Long.MAX_VALUE / 1000, 1);
  }

  @Test
  void bothPathsCheckTheirRanges() {
    for (int mode : new int[] {WarmSha256.SHUT, WarmSha256.OPEN}) {
      WarmSha256.force(mode);
      assertThatThrownBy(() -> WarmSha256.hashPrefixed64(1, new byte[63], 0, 1, new byte[32], 0))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> WarmSha256.digestFixed(new byte[10], 0, 5, 2, new byte[63], 0))
          .isInstanceOf(IndexOutOfBoundsException.class);
    }
  }
}
