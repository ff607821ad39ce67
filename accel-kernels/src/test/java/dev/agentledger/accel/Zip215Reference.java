package dev.agentledger.accel;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Test-only Ed25519 reference in affine coordinates over {@link BigInteger}, written straight from
 * RFC 8032 section 5.1 and ZIP-215 (cofactored equation, S < L, non-canonical A/R accepted). Slow
 * and obviously shaped like the specification; the kernels are compared with it.
 */
public final class Zip215Reference {
  public static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  public static final BigInteger L =
      BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
  static final BigInteger D =
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  static final BigInteger SQRT_M1 =
      BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
  public static final BigInteger[] B;
  public static final BigInteger[] IDENTITY = {BigInteger.ZERO, BigInteger.ONE};

  static {
    BigInteger y = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
    B = new BigInteger[] {recoverX(y, 0), y};
  }

  private Zip215Reference() {}

  /** x with the given parity from y, or null when y is not on the curve. */
  static BigInteger recoverX(BigInteger y, int sign) {
    BigInteger u = y.multiply(y).subtract(BigInteger.ONE).mod(P);
    BigInteger v = D.multiply(y).multiply(y).add(BigInteger.ONE).mod(P);
    BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
    BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    if (!x.multiply(x).subtract(x2).mod(P).equals(BigInteger.ZERO)) {
      x = x.multiply(SQRT_M1).mod(P);
    }
    if (!x.multiply(x).subtract(x2).mod(P).equals(BigInteger.ZERO)) {
      return null;
    }
    if (x.testBit(0) != (sign == 1)) {
      x = P.subtract(x).mod(P); // x = 0 stays 0: "-0" is accepted by ZIP-215
    }
    return x;
  }

  /** ZIP-215 decoding: y taken mod p without a canonicality check. */
  public static BigInteger[] decode(byte[] s) {
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = s[31 - i];
    }
    int sign = (be[0] >> 7) & 1;
    be[0] &= 0x7f;
    BigInteger y = new BigInteger(1, be).mod(P);
    BigInteger x = recoverX(y, sign);
    return x == null ? null : new BigInteger[] {x, y};
  }

  public static byte[] encode(BigInteger[] pt) {
    byte[] out = littleEndian(pt[1], 32);
    if (pt[0].testBit(0)) {
      out[31] |= (byte) 0x80;
    }
    return out;
  }

  public static BigInteger[] add(BigInteger[] p, BigInteger[] q) {
    BigInteger x1 = p[0], y1 = p[1], x2 = q[0], y2 = q[1];
    BigInteger dxy = D.multiply(x1).multiply(x2).multiply(y1).multiply(y2).mod(P);
    BigInteger x3 =
        x1.multiply(y2).add(y1.multiply(x2)).multiply(BigInteger.ONE.add(dxy).modInverse(P)).mod(P);
    BigInteger y3 =
        y1.multiply(y2)
            .add(x1.multiply(x2))
            .multiply(BigInteger.ONE.subtract(dxy).mod(P).modInverse(P))
            .mod(P);
    return new BigInteger[] {x3, y3};
  }

  public static BigInteger[] neg(BigInteger[] p) {
    return new BigInteger[] {P.subtract(p[0]).mod(P), p[1]};
  }

  public static BigInteger[] mul(BigInteger k, BigInteger[] p) {
    BigInteger[] r = IDENTITY;
    for (int i = k.bitLength() - 1; i >= 0; i--) {
      r = add(r, r);
      if (k.testBit(i)) {
        r = add(r, p);
      }
    }
    return r;
  }

  public static BigInteger scalar(byte[] le) {
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  public static byte[] littleEndian(BigInteger v, int n) {
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = v.shiftRight(8 * i).byteValue();
    }
    return out;
  }

  public static BigInteger challenge(byte[] r, byte[] a, byte[] m) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-512");
      md.update(r);
      md.update(a);
      md.update(m);
      return scalar(md.digest()).mod(L);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The ZIP-215 verdict. */
  public static boolean verify(byte[] pub, byte[] sig, byte[] msg) {
    return verify(pub, sig, msg, 8);
  }

  /** The same equation without the cofactor ([S]B = R + [k]A), to show which vectors need it. */
  public static boolean verifyCofactorless(byte[] pub, byte[] sig, byte[] msg) {
    return verify(pub, sig, msg, 1);
  }

  private static boolean verify(byte[] pub, byte[] sig, byte[] msg, int cofactor) {
    byte[] rb = java.util.Arrays.copyOfRange(sig, 0, 32);
    BigInteger s = scalar(java.util.Arrays.copyOfRange(sig, 32, 64));
    if (s.compareTo(L) >= 0) {
      return false;
    }
    BigInteger[] a = decode(pub);
    BigInteger[] r = decode(rb);
    if (a == null || r == null) {
      return false;
    }
    BigInteger k = challenge(rb, pub, msg);
    BigInteger[] lhs = mul(BigInteger.valueOf(cofactor), mul(s, B));
    BigInteger[] rhs = mul(BigInteger.valueOf(cofactor), add(r, mul(k, a)));
    return lhs[0].equals(rhs[0]) && lhs[1].equals(rhs[1]);
  }

  /** Signs with secret scalar a and nonce scalar r for public point A (which may carry torsion). */
  public static byte[] signWithScalars(
      BigInteger a, BigInteger rNonce, byte[] pubEncoding, byte[] msg) {
    byte[] rb = encode(mul(rNonce, B));
    BigInteger k = challenge(rb, pubEncoding, msg);
    BigInteger s = rNonce.add(k.multiply(a)).mod(L);
    byte[] sig = new byte[64];
    System.arraycopy(rb, 0, sig, 0, 32);
    System.arraycopy(littleEndian(s, 32), 0, sig, 32, 32);
    return sig;
  }
}
