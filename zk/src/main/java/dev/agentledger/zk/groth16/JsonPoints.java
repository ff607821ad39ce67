package dev.agentledger.zk.groth16;

import dev.agentledger.zk.ZkInputException;
import dev.agentledger.zk.curve.Bn254Curves;
import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.field.MontField;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Conversions between snarkjs's JSON (decimal strings, projective {@code [x, y, z]} with Fp2
 * coordinates as {@code [c0, c1]}) and flat affine Montgomery points, with strict validation: every
 * number is a plain decimal below its modulus, every point on its curve and in its group.
 */
final class JsonPoints {
  private JsonPoints() {}

  static BigInteger decimal(Object v, BigInteger modulus, String what) {
    if (!(v instanceof String s) || s.isEmpty() || s.length() > 80) {
      throw new ZkInputException(what + ": expected a decimal string");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new ZkInputException(what + ": '" + s + "' is not a decimal number");
      }
    }
    BigInteger x = new BigInteger(s);
    if (x.compareTo(modulus) >= 0) {
      throw new ZkInputException(what + ": value is not below the field modulus");
    }
    return x;
  }

  static List<?> list(Object v, int size, String what) {
    if (!(v instanceof List<?> l) || l.size() != size) {
      throw new ZkInputException(what + ": expected an array of " + size);
    }
    return l;
  }

  static Object member(Map<?, ?> m, String key, String what) {
    if (!m.containsKey(key)) {
      throw new ZkInputException(what + ": missing \"" + key + "\"");
    }
    return m.get(key);
  }

  /** A G1 point from {@code [x, y, z]}, validated; affine Montgomery (zeros for infinity). */
  static long[] g1(Object v, String what) {
    List<?> l = list(v, 3, what);
    MontField f = Bn254.FP;
    long[] jac = new long[12];
    for (int i = 0; i < 3; i++) {
      f.fromBigInteger(jac, 4 * i, decimal(l.get(i), Bn254.P, what));
    }
    CurveOps c = Bn254Curves.g1();
    long[] aff = new long[8];
    c.toAffine(aff, 0, jac, 0);
    if (!c.isOnCurveAffine(aff, 0)) {
      throw new ZkInputException(what + ": point is not on the curve");
    }
    return aff;
  }

  /** A G2 point from {@code [[x0, x1], [y0, y1], [z0, z1]]}, checked on the twist and in G2. */
  static long[] g2(Object v, String what) {
    List<?> l = list(v, 3, what);
    MontField f = Bn254.FP;
    long[] jac = new long[24];
    for (int i = 0; i < 3; i++) {
      List<?> c = list(l.get(i), 2, what);
      f.fromBigInteger(jac, 8 * i, decimal(c.get(0), Bn254.P, what));
      f.fromBigInteger(jac, 8 * i + 4, decimal(c.get(1), Bn254.P, what));
    }
    CurveOps c = Bn254Curves.g2();
    long[] aff = new long[16];
    c.toAffine(aff, 0, jac, 0);
    if (!c.isOnCurveAffine(aff, 0)) {
      throw new ZkInputException(what + ": point is not on the curve");
    }
    if (!Bn254Curves.g2IsValid(aff, 0)) {
      throw new ZkInputException(what + ": point is not in the order-r subgroup");
    }
    return aff;
  }

  private static String dec(long[] a, int o) {
    return Bn254.FP.toBigInteger(a, o).toString();
  }

  /** snarkjs's object of an affine G1 point: {@code [x, y, "1"]} or {@code ["0", "1", "0"]}. */
  static List<Object> g1Json(long[] p, int o) {
    if (Bn254Curves.g1().isInfinityAffine(p, o)) {
      return List.of("0", "1", "0");
    }
    return List.of(dec(p, o), dec(p, o + 4), "1");
  }

  /** snarkjs's object of an affine G2 point. */
  static List<Object> g2Json(long[] p, int o) {
    if (Bn254Curves.g2().isInfinityAffine(p, o)) {
      return List.of(List.of("0", "0"), List.of("1", "0"), List.of("0", "0"));
    }
    List<Object> out = new ArrayList<>();
    out.add(List.of(dec(p, o), dec(p, o + 4)));
    out.add(List.of(dec(p, o + 8), dec(p, o + 12)));
    out.add(List.of("1", "0"));
    return out;
  }
}
