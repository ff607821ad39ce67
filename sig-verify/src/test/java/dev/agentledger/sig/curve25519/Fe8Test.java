package dev.agentledger.sig.curve25519;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.sig.testing.EdgeCases;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The eight-lane field code against BigInteger, and batch decompression against the scalar path.
 */
class Fe8Test {
  @Test
  void mulSquareAndPowMatchBigInteger() {
    Random random = new Random(8);
    long[] f = new long[80];
    long[] g = new long[80];
    long[] h = new long[80];
    BigInteger[] fv = new BigInteger[8];
    BigInteger[] gv = new BigInteger[8];
    for (int round = 0; round < 200; round++) {
      for (int j = 0; j < 8; j++) {
        fv[j] =
            round == 0
                ? Curve.P.subtract(BigInteger.ONE)
                : new BigInteger(255, random).mod(Curve.P);
        gv[j] = new BigInteger(255, random).mod(Curve.P);
        Fe8.putLane(f, j, Curve.fe(fv[j]));
        Fe8.putLane(g, j, Curve.fe(gv[j]));
      }
      // push limbs to the top of the accepted range: add p in limb form (value unchanged mod p)
      if (round % 2 == 1) {
        for (int j = 0; j < 8; j++) {
          f[j] += (1L << 26) - 19;
          for (int k = 1; k < 10; k++) {
            f[k * 8 + j] += (k % 2 == 0 ? (1L << 26) : (1L << 25)) - 1;
          }
        }
      }
      Fe8.mulTo(h, f, g);
      Fe out = new Fe();
      for (int j = 0; j < 8; j++) {
        Fe8.getLane(h, j, out);
        assertThat(Curve.toBigInteger(out)).isEqualTo(fv[j].multiply(gv[j]).mod(Curve.P));
      }
      Fe8.sqTo(h, f);
      for (int j = 0; j < 8; j++) {
        Fe8.getLane(h, j, out);
        assertThat(Curve.toBigInteger(out)).isEqualTo(fv[j].multiply(fv[j]).mod(Curve.P));
      }
    }
  }

  @Test
  void batchDecompressionEqualsScalarDecompression() {
    PointOps ops = new PointOps();
    BatchDecompressor decompressor = new BatchDecompressor();
    java.util.List<EdgeCases.Item> items = EdgeCases.vectors();
    int n = items.size() * 2;
    byte[][] enc = new byte[n][];
    int[] off = new int[n];
    for (int i = 0; i < items.size(); i++) {
      enc[2 * i] = items.get(i).publicKey();
      enc[2 * i + 1] = items.get(i).signature();
    }
    ExtendedPoint[] out = new ExtendedPoint[n];
    for (int i = 0; i < n; i++) {
      out[i] = new ExtendedPoint();
    }
    boolean[] ok = new boolean[n];
    decompressor.decompress(enc, off, n - 3, out, ok); // a count that is not a multiple of 8
    ExtendedPoint single = new ExtendedPoint();
    int failures = 0;
    for (int i = 0; i < n - 3; i++) {
      boolean expected = ops.decompress(single, enc[i], 0);
      assertThat(ok[i]).as("item " + i).isEqualTo(expected);
      if (expected) {
        assertThat(ops.equal(out[i], single)).isTrue();
      } else {
        failures++;
      }
    }
    assertThat(failures).isGreaterThan(5);
  }
}
