package dev.agentledger.sig.curve25519;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Single-signature Ed25519 (RFC 8032 section 5.1, PureEdDSA) with verification under ZIP-215, on
 * one thread's scratch state: nothing is allocated per call. Instances are not thread-safe; the
 * public {@code Ed25519} API keeps one per thread.
 */
public final class Ed25519Context {
  private final PointOps ops = new PointOps();
  private final Scalar25519 scalars = new Scalar25519();
  private final MessageDigest sha512;
  private final byte[] hash = new byte[64];
  private final byte[] scalarA = new byte[32];
  private final byte[] scalarR = new byte[32];
  private final byte[] scalarK = new byte[32];
  private final byte[] encodedR = new byte[32];
  private final byte[] digits = new byte[64];
  private final byte[] nafS = new byte[256];
  private final byte[] nafK = new byte[256];
  private final long[] words = new long[5];
  private final ExtendedPoint pointA = new ExtendedPoint();
  private final ExtendedPoint pointR = new ExtendedPoint();
  private final ExtendedPoint acc = new ExtendedPoint();
  private final ExtendedPoint tmp = new ExtendedPoint();
  private final CachedPoint twiceA = new CachedPoint();
  private final CachedPoint[] oddA = new CachedPoint[8];
  private final CachedPoint[] oddR = new CachedPoint[8];
  private final HalfSizeSplit splitter = new HalfSizeSplit();
  private final byte[] c0 = new byte[32];
  private final byte[] c1 = new byte[32];
  private final byte[] scalarB = new byte[32];
  private final byte[] nafR = new byte[256];
  private static final byte[] ZERO32 = new byte[32];
  private final NielsPoint selected = new NielsPoint();
  private final NielsPoint negated = new NielsPoint();

  public Ed25519Context() {
    try {
      sha512 = MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is required by every Java platform", e);
    }
    for (int i = 0; i < oddA.length; i++) {
      oddA[i] = new CachedPoint();
      oddR[i] = new CachedPoint();
    }
  }

  public PointOps ops() {
    return ops;
  }

  public Scalar25519 scalars() {
    return scalars;
  }

  public MessageDigest sha512() {
    return sha512;
  }

  /** The public key of a 32-byte seed: encode([a]B), a the clamped low half of SHA-512(seed). */
  public void publicKey(byte[] seed, int seedOff, byte[] out, int outOff) {
    sha512.reset();
    sha512.update(seed, seedOff, 32);
    digest();
    clamp(hash, scalarA);
    scalarMulBase(acc, scalarA);
    ops.encode(out, outOff, acc);
    java.util.Arrays.fill(hash, (byte) 0);
    java.util.Arrays.fill(scalarA, (byte) 0);
  }

  /** RFC 8032 signing; {@code publicKey} must belong to {@code seed}. */
  public void sign(
      byte[] seed,
      int seedOff,
      byte[] publicKey,
      int pkOff,
      byte[] message,
      int msgOff,
      int msgLen,
      byte[] sig,
      int sigOff) {
    sha512.reset();
    sha512.update(seed, seedOff, 32);
    digest();
    clamp(hash, scalarA);
    // r = SHA-512(prefix || M) mod L
    sha512.reset();
    sha512.update(hash, 32, 32);
    sha512.update(message, msgOff, msgLen);
    digest();
    scalars.reduce64(hash, 0, scalarR, 0);
    scalarMulBase(acc, scalarR);
    ops.encode(encodedR, 0, acc);
    // k = SHA-512(R || A || M) mod L
    sha512.reset();
    sha512.update(encodedR, 0, 32);
    sha512.update(publicKey, pkOff, 32);
    sha512.update(message, msgOff, msgLen);
    digest();
    scalars.reduce64(hash, 0, scalarK, 0);
    System.arraycopy(encodedR, 0, sig, sigOff, 32);
    scalars.mulAdd(sig, sigOff + 32, scalarK, 0, scalarA, 0, scalarR, 0);
    java.util.Arrays.fill(hash, (byte) 0);
    java.util.Arrays.fill(scalarA, (byte) 0);
    java.util.Arrays.fill(scalarR, (byte) 0);
  }

  /**
   * ZIP-215 verification: S must be below L; A and R decode with y taken mod p (non-canonical and
   * small-order encodings accepted); accept iff [8]([S]B - [k]A - R) is the identity, with k =
   * SHA-512(R || A || M) over the bytes as given.
   *
   * <p>The check runs with half-size scalars: k = c0 / c1 (mod L) with c0, |c1| below 2^127 ({@link
   * HalfSizeSplit}), and the equation multiplied by c1 (sign s = sign(c1)) becomes [8]([|c1| S mod
   * L]B - [s c0]A - [|c1|]R) = identity. This is the same verdict on every input: c1 is a unit mod
   * L, so [8]X = 0 iff [8](c1 X) = 0 for X in the group of order 8L, and c1 k - c0 is a multiple of
   * L, which [8] turns into a multiple of [8L]A = 0. The doubling chain is 128 steps instead of
   * 253.
   */
  public boolean verify(
      byte[] publicKey, int pkOff, byte[] sig, int sigOff, byte[] message, int msgOff, int msgLen) {
    if (!Scalar25519.isCanonical(sig, sigOff + 32)) {
      return false;
    }
    if (ops.decompressPair(pointA, publicKey, pkOff, pointR, sig, sigOff) != 3) {
      return false;
    }
    challenge(sig, sigOff, publicKey, pkOff, message, msgOff, msgLen, scalarK, 0);
    int sign = splitter.split(scalarK, 0, c0, 0, c1, 0);
    scalars.mulAdd(scalarB, 0, c1, 0, sig, sigOff + 32, ZERO32, 0);
    halfSizeMulVartime(acc, scalarB, c0, sign, pointA, c1, pointR);
    return ops.isSmallOrderTimes8Identity(acc);
  }

  /**
   * r = [b]B - [sign c]A - [d]R (variable time) for b below 2^253 and c, d below 2^127: one
   * 128-step doubling chain with width-8 NAF digits of b on the tables of B and 2^128 B, and
   * width-5 NAF digits of c and d on eight odd multiples of A and of R.
   */
  public void halfSizeMulVartime(
      ExtendedPoint r, byte[] b, byte[] c, int sign, ExtendedPoint a, byte[] d, ExtendedPoint rr) {
    ScalarRecoding.wnaf(b, 0, 8, nafS, words);
    ScalarRecoding.wnaf(c, 0, 5, nafK, words);
    ScalarRecoding.wnaf(d, 0, 5, nafR, words);
    oddMultiples(oddA, a);
    oddMultiples(oddR, rr);
    int top = 127;
    while (top >= 0 && nafS[top] == 0 && nafS[top + 128] == 0 && nafK[top] == 0 && nafR[top] == 0) {
      top--;
    }
    r.identity();
    for (int i = top; i >= 0; i--) {
      int ds = nafS[i];
      int dh = nafS[i + 128];
      int dk = sign < 0 ? -nafK[i] : nafK[i];
      int dr = nafR[i];
      boolean last = i == 0;
      ops.dbl(r, r, ds != 0 || dh != 0 || dk != 0 || dr != 0 || last);
      if (ds > 0) {
        ops.addNiels(r, r, BaseTables.ODD[ds >> 1], dh != 0 || dk != 0 || dr != 0 || last);
      } else if (ds < 0) {
        ops.subNiels(r, r, BaseTables.ODD[(-ds) >> 1], dh != 0 || dk != 0 || dr != 0 || last);
      }
      if (dh > 0) {
        ops.addNiels(r, r, BaseTables.ODD_HIGH[dh >> 1], dk != 0 || dr != 0 || last);
      } else if (dh < 0) {
        ops.subNiels(r, r, BaseTables.ODD_HIGH[(-dh) >> 1], dk != 0 || dr != 0 || last);
      }
      if (dk > 0) {
        ops.sub(r, r, oddA[dk >> 1], dr != 0 || last);
      } else if (dk < 0) {
        ops.add(r, r, oddA[(-dk) >> 1], dr != 0 || last);
      }
      if (dr > 0) {
        ops.sub(r, r, oddR[dr >> 1], last);
      } else if (dr < 0) {
        ops.add(r, r, oddR[(-dr) >> 1], last);
      }
    }
  }

  /** table[i] = (2i + 1) p, cached (8 entries). */
  private void oddMultiples(CachedPoint[] table, ExtendedPoint p) {
    ops.toCached(table[0], p);
    ops.dbl(tmp, p, true);
    ops.toCached(twiceA, tmp);
    tmp.set(p);
    for (int i = 1; i < table.length; i++) {
      ops.add(tmp, tmp, twiceA, true);
      ops.toCached(table[i], tmp);
    }
  }

  /** k = SHA-512(R || A || M) mod L into {@code k[kOff, +32)}. */
  public void challenge(
      byte[] sig,
      int sigOff,
      byte[] publicKey,
      int pkOff,
      byte[] message,
      int msgOff,
      int msgLen,
      byte[] k,
      int kOff) {
    sha512.reset();
    sha512.update(sig, sigOff, 32);
    sha512.update(publicKey, pkOff, 32);
    sha512.update(message, msgOff, msgLen);
    digest();
    scalars.reduce64(hash, 0, k, kOff);
  }

  /** r = [s]B - [k]A (variable time): interleaved width-8 NAF on B and width-5 NAF on A. */
  public void doubleScalarMulVartime(
      ExtendedPoint r, byte[] s, int sOff, byte[] k, int kOff, ExtendedPoint a) {
    ScalarRecoding.wnaf(s, sOff, 8, nafS, words);
    ScalarRecoding.wnaf(k, kOff, 5, nafK, words);
    ops.toCached(oddA[0], a);
    ops.dbl(tmp, a, true);
    ops.toCached(twiceA, tmp);
    // odd multiples: oddA[i] = (2i + 1) A
    tmp.set(a);
    for (int i = 1; i < oddA.length; i++) {
      ops.add(tmp, tmp, twiceA, true);
      ops.toCached(oddA[i], tmp);
    }
    int top = 255;
    while (top >= 0 && nafS[top] == 0 && nafK[top] == 0) {
      top--;
    }
    r.identity();
    for (int i = top; i >= 0; i--) {
      int ds = nafS[i];
      int dk = nafK[i];
      boolean last = i == 0;
      ops.dbl(r, r, ds != 0 || dk != 0 || last);
      if (ds > 0) {
        ops.addNiels(r, r, BaseTables.ODD[ds >> 1], dk != 0 || last);
      } else if (ds < 0) {
        ops.subNiels(r, r, BaseTables.ODD[(-ds) >> 1], dk != 0 || last);
      }
      if (dk > 0) {
        ops.sub(r, r, oddA[dk >> 1], last);
      } else if (dk < 0) {
        ops.add(r, r, oddA[(-dk) >> 1], last);
      }
    }
  }

  /** r = [a]B for a 32-byte scalar below 2^255; constant time in a. */
  public void scalarMulBase(ExtendedPoint r, byte[] a) {
    ScalarRecoding.radix16(a, 0, digits);
    r.identity();
    for (int i = 0; i < 64; i++) {
      int e = digits[i];
      int negative = (e >>> 31) & 1;
      int abs = e - ((2 * e) & -negative); // |e|
      selected.identity();
      NielsPoint[] row = BaseTables.FIXED[i];
      for (int j = 0; j < 8; j++) {
        selected.cmov(row[j], equalMask(abs, j + 1));
      }
      negated.yPlusX.set(selected.yMinusX);
      negated.yMinusX.set(selected.yPlusX);
      Fe.neg(negated.xy2d, selected.xy2d);
      Fe.weakReduce(negated.xy2d);
      selected.cmov(negated, -(long) negative);
      ops.addNiels(r, r, selected, true);
    }
  }

  private static long equalMask(int a, int b) {
    int x = a ^ b; // 0 iff equal
    long m = ((long) x - 1) >>> 63; // 1 iff x == 0 (x in [0, 15])
    return -m;
  }

  private void digest() {
    try {
      sha512.digest(hash, 0, 64);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void clamp(byte[] h, byte[] a) {
    System.arraycopy(h, 0, a, 0, 32);
    a[0] &= (byte) 248;
    a[31] &= 127;
    a[31] |= 64;
  }
}
