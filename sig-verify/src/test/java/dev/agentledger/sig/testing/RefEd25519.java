package dev.agentledger.sig.testing;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A slow, obviously-correct reference for tests: affine edwards25519 arithmetic in BigInteger (RFC
 * 8032 section 5.1 formulas), ZIP-215 decoding and the cofactored verification equation, and the
 * cofactorless, canonical-only variant of RFC 8032 section 5.1.7 for comparison. Independent of the
 * production field/group code (it shares nothing but the JDK).
 */
public final class RefEd25519 {
  public static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  public static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
  public static final BigInteger D =
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  static final BigInteger I = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);

  /** An affine point. */
  public record Pt(BigInteger x, BigInteger y) {
    public static final Pt IDENTITY = new Pt(BigInteger.ZERO, BigInteger.ONE);
  }

  public static final Pt B;

  static {
    BigInteger y = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
    B = new Pt(recoverX(y, 0), y);
  }

  private RefEd25519() {}

  public static Pt add(Pt a, Pt b) {
    BigInteger x1y2 = a.x.multiply(b.y);
    BigInteger y1x2 = a.y.multiply(b.x);
    BigInteger y1y2 = a.y.multiply(b.y);
    BigInteger x1x2 = a.x.multiply(b.x);
    BigInteger dxy = D.multiply(x1x2).multiply(y1y2).mod(P);
    BigInteger x3 = x1y2.add(y1x2).multiply(BigInteger.ONE.add(dxy).modInverse(P)).mod(P);
    BigInteger y3 =
        y1y2.add(x1x2).multiply(BigInteger.ONE.subtract(dxy).mod(P).modInverse(P)).mod(P);
    return new Pt(x3, y3);
  }

  public static Pt neg(Pt a) {
    return new Pt(P.subtract(a.x).mod(P), a.y);
  }

  public static Pt mul(BigInteger k, Pt a) {
    BigInteger e = k;
    Pt base = a;
    if (e.signum() < 0) {
      e = e.negate();
      base = neg(base);
    }
    // projective (X : Y : Z) with the affine addition law homogenised (RFC 8032 section 5.1.4)
    BigInteger[] r = {BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE};
    BigInteger[] q = {base.x, base.y, BigInteger.ONE};
    for (int i = e.bitLength() - 1; i >= 0; i--) {
      r = projectiveAdd(r, r);
      if (e.testBit(i)) {
        r = projectiveAdd(r, q);
      }
    }
    BigInteger zi = r[2].modInverse(P);
    return new Pt(r[0].multiply(zi).mod(P), r[1].multiply(zi).mod(P));
  }

  /** x3 = (x1y2 + y1x2)/(1 + d x1x2y1y2), y3 = (y1y2 + x1x2)/(1 - d x1x2y1y2), homogenised. */
  private static BigInteger[] projectiveAdd(BigInteger[] p, BigInteger[] q) {
    BigInteger a = p[2].multiply(q[2]).mod(P);
    BigInteger b = a.multiply(a).mod(P);
    BigInteger c = p[0].multiply(q[0]).mod(P);
    BigInteger dd = p[1].multiply(q[1]).mod(P);
    BigInteger e = D.multiply(c).mod(P).multiply(dd).mod(P);
    BigInteger f = b.subtract(e);
    BigInteger g = b.add(e);
    BigInteger x3 =
        a.multiply(f)
            .mod(P)
            .multiply(p[0].add(p[1]).multiply(q[0].add(q[1])).subtract(c).subtract(dd))
            .mod(P);
    BigInteger y3 = a.multiply(g).mod(P).multiply(dd.add(c)).mod(P);
    BigInteger z3 = f.multiply(g).mod(P);
    return new BigInteger[] {x3, y3, z3};
  }

  /** x of parity sign for y, or null when none exists. */
  public static BigInteger recoverX(BigInteger y, int sign) {
    BigInteger y2 = y.multiply(y).mod(P);
    BigInteger u = y2.subtract(BigInteger.ONE).mod(P);
    BigInteger v = D.multiply(y2).add(BigInteger.ONE).mod(P);
    BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
    BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    if (!x.multiply(x).subtract(x2).mod(P).equals(BigInteger.ZERO)) {
      x = x.multiply(I).mod(P);
    }
    if (!x.multiply(x).subtract(x2).mod(P).equals(BigInteger.ZERO)) {
      return null;
    }
    if (x.testBit(0) != (sign == 1)) {
      x = P.subtract(x).mod(P);
    }
    return x;
  }

  /** ZIP-215 decoding: y = low 255 bits mod p; any sign bit accepted, also for x = 0. */
  public static Pt decodeZip215(byte[] enc) {
    BigInteger raw = le(enc).clearBit(255);
    BigInteger y = raw.mod(P);
    BigInteger x = recoverX(y, (enc[31] >> 7) & 1);
    return x == null ? null : new Pt(x, y);
  }

  /** RFC 8032 strict decoding: y < p and no "negative zero". */
  public static Pt decodeStrict(byte[] enc) {
    BigInteger raw = le(enc).clearBit(255);
    int sign = (enc[31] >> 7) & 1;
    if (raw.compareTo(P) >= 0) {
      return null;
    }
    BigInteger x = recoverX(raw, sign);
    if (x == null || (x.signum() == 0 && sign == 1)) {
      return null;
    }
    return new Pt(x, raw);
  }

  public static byte[] encode(Pt a) {
    byte[] out = toLe(a.y, 32);
    if (a.x.testBit(0)) {
      out[31] |= (byte) 0x80;
    }
    return out;
  }

  public static BigInteger challenge(byte[] r, byte[] a, byte[] m) {
    MessageDigest md = sha512();
    md.update(r);
    md.update(a);
    md.update(m);
    return le(md.digest()).mod(L);
  }

  /** The ZIP-215 verdict: S < L, A and R decode (ZIP-215), [8](SB - kA - R) = identity. */
  public static boolean verifyZip215(byte[] pk, byte[] sig, byte[] msg) {
    byte[] rEnc = java.util.Arrays.copyOfRange(sig, 0, 32);
    BigInteger s = le(java.util.Arrays.copyOfRange(sig, 32, 64));
    if (s.compareTo(L) >= 0) {
      return false;
    }
    Pt a = decodeZip215(pk);
    Pt r = decodeZip215(rEnc);
    if (a == null || r == null) {
      return false;
    }
    BigInteger k = challenge(rEnc, pk, msg);
    Pt check = add(add(mul(s, B), neg(mul(k, a))), neg(r));
    return mul(BigInteger.valueOf(8), check).equals(Pt.IDENTITY);
  }

  /** RFC 8032 strict verdict: canonical encodings and the cofactorless equation SB = R + kA. */
  public static boolean verifyStrictCofactorless(byte[] pk, byte[] sig, byte[] msg) {
    byte[] rEnc = java.util.Arrays.copyOfRange(sig, 0, 32);
    BigInteger s = le(java.util.Arrays.copyOfRange(sig, 32, 64));
    if (s.compareTo(L) >= 0) {
      return false;
    }
    Pt a = decodeStrict(pk);
    Pt r = decodeStrict(rEnc);
    if (a == null || r == null) {
      return false;
    }
    BigInteger k = challenge(rEnc, pk, msg);
    return mul(s, B).equals(add(r, mul(k, a)));
  }

  /** Whether a point has small order (divides 8). */
  public static boolean isSmallOrder(Pt a) {
    return mul(BigInteger.valueOf(8), a).equals(Pt.IDENTITY);
  }

  public static BigInteger le(byte[] b) {
    byte[] be = new byte[b.length + 1];
    for (int i = 0; i < b.length; i++) {
      be[b.length - i] = b[i];
    }
    return new BigInteger(be);
  }

  public static byte[] toLe(BigInteger v, int len) {
    byte[] out = new byte[len];
    byte[] be = v.toByteArray();
    for (int i = 0; i < be.length && i < len; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
