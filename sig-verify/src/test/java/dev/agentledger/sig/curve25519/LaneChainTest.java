package dev.agentledger.sig.curve25519;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.sig.testing.EdgeCases;
import dev.agentledger.sig.testing.RefEd25519;
import dev.agentledger.sig.testing.RefEd25519.Pt;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The four-lane doubling-and-adding chain of verification ({@link LaneChain} through {@link
 * Ed25519Context#halfSizeMulVartime}) against the BigInteger reference: [b]B - [sign c]A - [d]R for
 * random and extreme scalars, with A and R taken from the ZIP-215 edge cases (small-order,
 * mixed-order and non-canonical encodings) and random points. The result must be the reference
 * point, with T Z = X Y.
 */
class LaneChainTest {
  private static final BigInteger TWO_127 = BigInteger.ONE.shiftLeft(127);

  private record Point(byte[] encoding, Pt reference) {}

  private static List<Point> points(Random random) {
    List<Point> out = new ArrayList<>();
    for (EdgeCases.Item item : EdgeCases.vectors()) {
      for (byte[] enc : List.of(item.publicKey(), java.util.Arrays.copyOf(item.signature(), 32))) {
        Pt p = RefEd25519.decodeZip215(enc);
        if (p != null && out.size() < 120) {
          out.add(new Point(enc, p));
        }
      }
    }
    for (int i = 0; i < 20; i++) {
      Pt p = RefEd25519.mul(new BigInteger(252, random), RefEd25519.B);
      out.add(new Point(RefEd25519.encode(p), p));
    }
    return out;
  }

  @Test
  void chainEqualsTheReferenceOnEdgeCaseAndRandomPoints() {
    Random random = new Random(4);
    List<Point> points = points(random);
    Ed25519Context ctx = new Ed25519Context();
    PointOps ops = new PointOps();
    ExtendedPoint a = new ExtendedPoint();
    ExtendedPoint r = new ExtendedPoint();
    ExtendedPoint out = new ExtendedPoint();
    byte[] encoded = new byte[32];
    for (int round = 0; round < 160; round++) {
      Point pa = points.get(random.nextInt(points.size()));
      Point pr = points.get(random.nextInt(points.size()));
      BigInteger b =
          switch (round % 8) {
            case 0 -> BigInteger.ZERO;
            case 1 -> RefEd25519.L.subtract(BigInteger.ONE);
            default -> new BigInteger(253, random).mod(RefEd25519.L);
          };
      BigInteger c =
          round % 8 == 2 ? TWO_127.subtract(BigInteger.ONE) : new BigInteger(127, random);
      BigInteger d =
          round % 8 == 3
              ? BigInteger.ZERO
              : round % 8 == 4 ? TWO_127.subtract(BigInteger.ONE) : new BigInteger(127, random);
      int sign = random.nextBoolean() ? 1 : -1;
      assertThat(ops.decompress(a, pa.encoding(), 0)).isTrue();
      assertThat(ops.decompress(r, pr.encoding(), 0)).isTrue();
      ctx.halfSizeMulVartime(
          out, RefEd25519.toLe(b, 32), RefEd25519.toLe(c, 32), sign, a, RefEd25519.toLe(d, 32), r);
      Pt cA = RefEd25519.mul(c, pa.reference());
      Pt expected =
          RefEd25519.add(
              RefEd25519.add(RefEd25519.mul(b, RefEd25519.B), sign > 0 ? RefEd25519.neg(cA) : cA),
              RefEd25519.neg(RefEd25519.mul(d, pr.reference())));
      ops.encode(encoded, 0, out);
      assertThat(encoded).as("round %d", round).isEqualTo(RefEd25519.encode(expected));
      Fe tz = new Fe();
      Fe xy = new Fe();
      Fe.mul(tz, out.t, out.z);
      Fe.mul(xy, out.x, out.y);
      assertThat(Curve.toBigInteger(tz)).isEqualTo(Curve.toBigInteger(xy));
    }
  }
}
