package dev.agentledger.sig.curve25519;

import java.math.BigInteger;

/**
 * Constants of edwards25519 (RFC 8032 section 5.1; RFC 7748 section 4.1), derived here from their
 * definitions at class initialisation rather than typed in: p = 2^255 - 19, d = -121665/121666,
 * sqrt(-1) = 2^((p-1)/4), the base point B with y = 4/5 and even x, the group order L.
 */
public final class Curve {
  public static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  public static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  static final BigInteger D_INT =
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  static final BigInteger SQRT_M1_INT =
      BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);

  static final Fe D = fe(D_INT);
  static final Fe D2 = fe(D_INT.shiftLeft(1).mod(P));
  static final Fe SQRT_M1 = fe(SQRT_M1_INT);
  static final Fe ONE = Fe.of(1);

  /** Affine coordinates of the base point. */
  static final BigInteger BASE_Y =
      BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);

  static final BigInteger BASE_X = recoverX(BASE_Y, 0);

  private Curve() {}

  /** An Fe of a value in [0, p). */
  public static Fe fe(BigInteger v) {
    byte[] le = toLittleEndian(v.mod(P), 32);
    return Fe.ofBytes(le);
  }

  /** The value of an Fe as a BigInteger in [0, p). */
  public static BigInteger toBigInteger(Fe f) {
    byte[] le = f.toBytes();
    return fromLittleEndian(le);
  }

  public static byte[] toLittleEndian(BigInteger v, int length) {
    byte[] be = v.toByteArray();
    byte[] le = new byte[length];
    for (int i = 0; i < be.length && i < length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }

  public static BigInteger fromLittleEndian(byte[] le) {
    byte[] be = new byte[le.length + 1];
    for (int i = 0; i < le.length; i++) {
      be[be.length - 1 - i] = le[i];
    }
    return new BigInteger(be);
  }

  /** x with x^2 = (y^2 - 1)/(d y^2 + 1) and parity {@code sign} (reference path, BigInteger). */
  static BigInteger recoverX(BigInteger y, int sign) {
    BigInteger y2 = y.multiply(y).mod(P);
    BigInteger u = y2.subtract(BigInteger.ONE).mod(P);
    BigInteger v = D_INT.multiply(y2).add(BigInteger.ONE).mod(P);
    BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
    BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
    if (!x.multiply(x).subtract(x2).mod(P).equals(BigInteger.ZERO)) {
      x = x.multiply(SQRT_M1_INT).mod(P);
    }
    if (x.testBit(0) != (sign == 1)) {
      x = P.subtract(x).mod(P);
    }
    return x;
  }
}
