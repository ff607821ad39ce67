package dev.agentledger.zk.msm;

import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.field.Fp29x8;
import dev.agentledger.zk.field.MontField;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Run in a JVM of its own by {@link LaneWidthTest} with {@code -Dagentledger.zk.lanes.bits=B}:
 * checks that {@link Fp29x8} runs on B-bit vectors, that its operations equal the scalar {@link
 * MontField} ones lane by lane, and that the G1 lane MSM equals the scalar Pippenger. Prints one
 * line per failure and exits 1 if any; prints {@code ok B} and exits 0 otherwise.
 */
public final class LaneWidthCheck {
  private static final MontField FP = Bn254.FP;
  private static final int L = Fp29x8.LANES;
  private static final int G = Fp29x8.GROUP;
  private static final List<String> FAILURES = new ArrayList<>();

  private LaneWidthCheck() {}

  public static void main(String[] args) {
    int bits = Integer.parseInt(args[0]);
    check(Fp29x8.vectorBits() == bits, "vector bits " + Fp29x8.vectorBits() + ", want " + bits);
    SplittableRandom rnd = new SplittableRandom(bits);
    for (int round = 0; round < 40; round++) {
      fieldOps(rnd, round);
    }
    for (int n : new int[] {1, 9, 700}) {
      msm(n, 300 + n, false);
      msm(n, 400 + n, true);
    }
    for (String f : FAILURES) {
      System.out.println("FAIL " + f);
    }
    if (!FAILURES.isEmpty()) {
      System.exit(1);
    }
    System.out.println("ok " + bits);
  }

  private static void check(boolean ok, String what) {
    if (!ok && FAILURES.size() < 20) {
      FAILURES.add(what);
    }
  }

  /** Eight random Montgomery-form elements (four longs each); some lanes zero, one or p - 1. */
  private static long[] elements(SplittableRandom rnd, int round) {
    long[] m = new long[4 * L];
    BigInteger p = FP.modulus();
    for (int l = 0; l < L; l++) {
      BigInteger v =
          switch ((round + l) % 11) {
            case 0 -> BigInteger.ZERO;
            case 1 -> BigInteger.ONE;
            case 2 -> p.subtract(BigInteger.ONE);
            default -> new BigInteger(256, new java.util.Random(rnd.nextLong())).mod(p);
          };
      FP.fromBigInteger(m, 4 * l, v);
    }
    return m;
  }

  private static long[] toLanes(long[] m) {
    long[] g = new long[G];
    long[] tmp = new long[4];
    for (int l = 0; l < L; l++) {
      Fp29x8.fromMont(m, 4 * l, g, l, L, tmp);
    }
    return g;
  }

  private static long[] lane(long[] g, int go, int l) {
    long[] x = new long[4];
    Fp29x8.toMont(g, go + l, L, x, 0, new long[4]);
    return x;
  }

  private static void fieldOps(SplittableRandom rnd, int round) {
    long[] ma = elements(rnd, round);
    long[] mb = elements(rnd, round + 5);
    long[] a = toLanes(ma);
    long[] b = toLanes(mb);
    long[] r = new long[4 * G];
    Fp29x8.mul(r, 0, a, 0, b, 0);
    Fp29x8.mul2(r, G, a, 0, a, 0, r, 2 * G, b, 0, a, 0);
    Fp29x8.sub(r, 3 * G, a, 0, b, 0);
    long[] want = new long[4];
    for (int l = 0; l < L; l++) {
      FP.mul(want, 0, ma, 4 * l, mb, 4 * l);
      check(FP.equal(lane(r, 0, l), 0, want, 0), "mul round " + round + " lane " + l);
      FP.mul(want, 0, ma, 4 * l, ma, 4 * l);
      check(FP.equal(lane(r, G, l), 0, want, 0), "mul2 first round " + round + " lane " + l);
      FP.mul(want, 0, mb, 4 * l, ma, 4 * l);
      check(FP.equal(lane(r, 2 * G, l), 0, want, 0), "mul2 second round " + round + " lane " + l);
      FP.sub(want, 0, ma, 4 * l, mb, 4 * l);
      check(FP.equal(lane(r, 3 * G, l), 0, want, 0), "sub round " + round + " lane " + l);
    }
    for (long v : r) {
      check(v >= 0 && v < (1L << 29), "limb not canonical in round " + round);
    }
    int lanes = rnd.nextInt(256);
    long[] n = new long[G];
    Fp29x8.negWhere(n, 0, a, 0, lanes);
    long[] s = new long[G];
    Fp29x8.select(s, 0, a, 0, b, 0, lanes);
    long[] one = a.clone();
    Fp29x8.setOneWhere(one, 0, lanes);
    int zeros = 0;
    for (int l = 0; l < L; l++) {
      boolean set = (lanes >>> l & 1) != 0;
      if (set) {
        FP.neg(want, 0, ma, 4 * l);
      } else {
        MontField.copy(want, 0, ma, 4 * l);
      }
      check(FP.equal(lane(n, 0, l), 0, want, 0), "negWhere round " + round + " lane " + l);
      check(
          FP.equal(lane(s, 0, l), 0, set ? ma : mb, 4 * l), "select round " + round + " lane " + l);
      if (set) {
        FP.setOne(want, 0);
      } else {
        MontField.copy(want, 0, ma, 4 * l);
      }
      check(FP.equal(lane(one, 0, l), 0, want, 0), "setOneWhere round " + round + " lane " + l);
      if (FP.isZero(ma, 4 * l)) {
        zeros |= 1 << l;
      }
    }
    check(Fp29x8.zeroLanes(a, 0) == zeros, "zeroLanes round " + round);
    // packed points: scatter a (x) and b (y) to eight slots, gather them back in another order
    int[] idx = new int[L];
    int[] back = new int[L];
    for (int l = 0; l < L; l++) {
      idx[l] = ((l * 5 + round) % L) * Fp29x8.PACKED;
      back[l] = ((l * 3 + round) % L) * Fp29x8.PACKED;
    }
    long[] packed = new long[L * Fp29x8.PACKED];
    Fp29x8.scatterPacked(a, 0, b, 0, packed, idx, 0, new long[Fp29x8.GROUP]);
    long[] x = new long[G];
    long[] y = new long[G];
    Fp29x8.gatherPacked(x, 0, y, 0, packed, back, 0, new long[Fp29x8.GROUP]);
    for (int l = 0; l < L; l++) {
      int from = -1;
      for (int j = 0; j < L; j++) {
        if (idx[j] == back[l]) {
          from = j;
        }
      }
      check(FP.equal(lane(x, 0, l), 0, ma, 4 * from), "packed x round " + round + " lane " + l);
      check(FP.equal(lane(y, 0, l), 0, mb, 4 * from), "packed y round " + round + " lane " + l);
    }
    // eight at once from Montgomery form, and the lane inversion
    long[] conv = new long[L * 2 * Fp29x8.LIMBS];
    Fp29x8.fromMont8(
        ma, 0, Fp29x8.strideMap(4), conv, 0, Fp29x8.strideMap(2 * Fp29x8.LIMBS), new long[G]);
    for (int l = 0; l < L; l++) {
      long[] got = new long[4];
      Fp29x8.toMont(conv, 2 * Fp29x8.LIMBS * l, 1, got, 0, new long[4]);
      check(FP.equal(got, 0, ma, 4 * l), "fromMont8 round " + round + " lane " + l);
    }
    long[] nz = one.clone();
    Fp29x8.setOneWhere(nz, 0, Fp29x8.zeroLanes(nz, 0));
    long[] inv = new long[G];
    Fp29x8.invLanes(inv, 0, nz, 0, new long[80]);
    long[] prod = new long[G];
    Fp29x8.mul(prod, 0, inv, 0, nz, 0);
    long[] unit = new long[4];
    FP.setOne(unit, 0);
    for (int l = 0; l < L; l++) {
      check(FP.equal(lane(prod, 0, l), 0, unit, 0), "invLanes round " + round + " lane " + l);
    }
  }

  /** The lane MSM against the scalar one; {@code edges}: repeated points, negations, zeros. */
  private static void msm(int n, long seed, boolean edges) {
    long[] points = TestPoints.points(Msm.Group.G1, n, seed);
    long[] scalars = TestPoints.scalars(n, seed + 1);
    if (edges) {
      for (int i = 1; i < n; i += 3) {
        System.arraycopy(points, 8 * (i - 1), points, 8 * i, 8);
        if (i % 2 == 0) {
          FP.neg(points, 8 * i + 4, points, 8 * i + 4);
        }
        if (i % 5 == 0) {
          System.arraycopy(new long[4], 0, scalars, 4 * i, 4);
        }
      }
    }
    long[] lanes = new long[12];
    long[] scalar = new long[12];
    Msm.msm(Msm.Group.G1, points, scalars, n, 1, lanes, true);
    Msm.msm(Msm.Group.G1, points, scalars, n, 1, scalar, false);
    CurveOps g1 = Msm.Group.G1.ops();
    check(g1.equal(lanes, 0, scalar, 0), "msm n=" + n + " edges=" + edges);
  }
}
