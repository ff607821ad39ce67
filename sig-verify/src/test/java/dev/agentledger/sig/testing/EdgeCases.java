package dev.agentledger.sig.testing;

import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.testing.RefEd25519.Pt;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Generators of ZIP-215 edge cases ("Taming the many EdDSAs", Chalkias, Garillot, Nikolaenko, SSR
 * 2020, section 3 and table 5): torsion points and every encoding of them (y >= p, the "negative
 * zero" sign bit), mixed-order keys and nonces, S = L - 1, S >= L, wrong messages and swapped keys,
 * invalid points. Each item carries the verdict the ZIP-215 rules give, derived by construction
 * (the comment at each category says why) and re-checked against {@link RefEd25519}.
 */
public final class EdgeCases {
  /** One verification input with its category and expected ZIP-215 verdict. */
  public record Item(
      String category, boolean expected, byte[] publicKey, byte[] signature, byte[] message) {}

  private EdgeCases() {}

  /**
   * The committed corpus {@code vectors/zip215-edge-cases.txt} (written from {@link #generate} with
   * seed 215 and checked against it by Zip215EdgeCasesTest); fast to load.
   */
  public static synchronized List<Item> vectors() {
    if (vectors == null) {
      try (java.io.InputStream in =
          EdgeCases.class.getResourceAsStream("/vectors/zip215-edge-cases.txt")) {
        java.util.HexFormat hex = java.util.HexFormat.of();
        List<Item> items = new ArrayList<>();
        for (String line :
            new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
          if (line.isBlank() || line.startsWith("#")) {
            continue;
          }
          String[] f = line.strip().split("\\s+");
          items.add(
              new Item(
                  f[0],
                  f[1].equals("ok"),
                  hex.parseHex(f[2]),
                  hex.parseHex(f[3]),
                  f[4].equals("-") ? new byte[0] : hex.parseHex(f[4])));
        }
        vectors = List.copyOf(items);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return vectors;
  }

  private static List<Item> vectors;

  /** The eight torsion points, [i]T8 for a point T8 of order 8. */
  public static List<Pt> torsion() {
    Pt t8 = null;
    for (int y = 2; t8 == null; y++) {
      BigInteger x = RefEd25519.recoverX(BigInteger.valueOf(y), 0);
      if (x == null) {
        continue;
      }
      Pt q = RefEd25519.mul(RefEd25519.L, new Pt(x, BigInteger.valueOf(y)));
      if (!RefEd25519.mul(BigInteger.valueOf(4), q).equals(Pt.IDENTITY)) {
        t8 = q;
      }
    }
    List<Pt> points = new ArrayList<>();
    Pt acc = Pt.IDENTITY;
    for (int i = 0; i < 8; i++) {
      points.add(acc);
      acc = RefEd25519.add(acc, t8);
    }
    return points;
  }

  /** Every 32-byte encoding that ZIP-215 decodes to p: canonical, y + p, flipped sign if x = 0. */
  public static List<byte[]> encodings(Pt p) {
    List<byte[]> out = new ArrayList<>();
    out.add(RefEd25519.encode(p));
    BigInteger yAlt = p.y().add(RefEd25519.P);
    if (yAlt.bitLength() <= 255) {
      byte[] e = RefEd25519.toLe(yAlt, 32);
      if (p.x().testBit(0)) {
        e[31] |= (byte) 0x80;
      }
      out.add(e);
    }
    if (p.x().signum() == 0) {
      int n = out.size();
      for (int i = 0; i < n; i++) {
        byte[] e = out.get(i).clone();
        e[31] ^= (byte) 0x80;
        out.add(e);
      }
    }
    return out;
  }

  /** Non-canonical encodings of points of large order: y in [p, 2^255) that decode. */
  public static List<byte[]> nonCanonicalLargeOrder() {
    List<byte[]> out = new ArrayList<>();
    for (int k = 0; k < 19; k++) {
      for (int sign = 0; sign < 2; sign++) {
        BigInteger x = RefEd25519.recoverX(BigInteger.valueOf(k), sign);
        if (x == null) {
          continue;
        }
        Pt p = new Pt(x, BigInteger.valueOf(k));
        if (RefEd25519.isSmallOrder(p)) {
          continue;
        }
        byte[] e = RefEd25519.toLe(BigInteger.valueOf(k).add(RefEd25519.P), 32);
        if (sign == 1) {
          e[31] |= (byte) 0x80;
        }
        out.add(e);
      }
    }
    return out;
  }

  private static byte[] sig(byte[] r, BigInteger s) {
    byte[] out = new byte[64];
    System.arraycopy(r, 0, out, 0, 32);
    System.arraycopy(RefEd25519.toLe(s, 32), 0, out, 32, 32);
    return out;
  }

  private static BigInteger randomScalar(Random random) {
    return new BigInteger(300, random).mod(RefEd25519.L);
  }

  /** The edge-case corpus, deterministic in {@code seed}. */
  public static List<Item> generate(long seed) {
    Random random = new Random(seed);
    List<Item> items = new ArrayList<>();
    List<Pt> torsion = torsion();
    byte[] msg = "agentledger/zip215".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    // Honest signatures and their mutations.
    for (int i = 0; i < 4; i++) {
      byte[] seedBytes = new byte[32];
      random.nextBytes(seedBytes);
      byte[] pk = Ed25519.publicKey(seedBytes);
      byte[] m = new byte[i * 37];
      random.nextBytes(m);
      byte[] s = Ed25519.sign(seedBytes, m);
      // valid: an RFC 8032 signature satisfies both equations
      items.add(new Item("valid", true, pk, s, m));
      // wrong message: k changes, the equation fails
      byte[] m2 = Arrays.copyOf(m, m.length + 1);
      items.add(new Item("wrong-message", false, pk, s, m2));
      // swapped key: the signature was made for another key
      byte[] other = new byte[32];
      random.nextBytes(other);
      items.add(new Item("swapped-key", false, Ed25519.publicKey(other), s, m));
      // S + L: same point equation, but S >= L is rejected by rule
      BigInteger sv = RefEd25519.le(Arrays.copyOfRange(s, 32, 64));
      BigInteger sPlusL = sv.add(RefEd25519.L);
      if (sPlusL.bitLength() <= 256) {
        items.add(new Item("s-plus-l", false, pk, sig(Arrays.copyOf(s, 32), sPlusL), m));
      }
      // S with the top bit set: S >= 2^255 > L
      byte[] high = s.clone();
      high[63] |= (byte) 0x80;
      items.add(new Item("s-top-bit", false, pk, high, m));
      // R flipped: a different point (or none), the equation fails
      byte[] rFlip = s.clone();
      rFlip[0] ^= 1;
      items.add(new Item("r-mutated", false, pk, rFlip, m));
    }

    // Small-order A and R in every encoding, S = 0: [8](0B - kA - R) = 0 for torsion A and R.
    for (int i = 0; i < 8; i++) {
      for (byte[] aEnc : encodings(torsion.get(i))) {
        Pt r = torsion.get(random.nextInt(8));
        List<byte[]> rEncs = encodings(r);
        byte[] rEnc = rEncs.get(random.nextInt(rEncs.size()));
        items.add(new Item("small-order-a-r-s0", true, aEnc, sig(rEnc, BigInteger.ZERO), msg));
        // S = 1 leaves [8]B, not the identity
        items.add(new Item("small-order-a-r-s1", false, aEnc, sig(rEnc, BigInteger.ONE), msg));
      }
    }

    // Non-canonical and negative-zero R (torsion) with an ordinary key: S = k a makes
    // SB - kA = 0, so [8](SB - kA - R) = [8](-R) = 0.
    for (Pt r : torsion) {
      for (byte[] rEnc : encodings(r)) {
        BigInteger a = randomScalar(random);
        byte[] pk = RefEd25519.encode(RefEd25519.mul(a, RefEd25519.B));
        BigInteger k = RefEd25519.challenge(rEnc, pk, msg);
        items.add(
            new Item(
                "torsion-r-any-encoding",
                true,
                pk,
                sig(rEnc, k.multiply(a).mod(RefEd25519.L)),
                msg));
      }
    }

    // Torsion A in any encoding with R = rB, S = r: [8](rB - kT - rB) = 0.
    for (Pt t : torsion) {
      for (byte[] aEnc : encodings(t)) {
        BigInteger r = randomScalar(random);
        byte[] rEnc = RefEd25519.encode(RefEd25519.mul(r, RefEd25519.B));
        items.add(new Item("torsion-a-any-encoding", true, aEnc, sig(rEnc, r), msg));
      }
    }

    // Mixed-order A = aB + T: S = r + k a gives SB - kA - R = -kT, killed by the cofactor.
    for (int i = 1; i < 8; i++) {
      BigInteger a = randomScalar(random);
      byte[] pk =
          RefEd25519.encode(RefEd25519.add(RefEd25519.mul(a, RefEd25519.B), torsion.get(i)));
      BigInteger r = randomScalar(random);
      byte[] rEnc = RefEd25519.encode(RefEd25519.mul(r, RefEd25519.B));
      BigInteger k = RefEd25519.challenge(rEnc, pk, msg);
      items.add(
          new Item(
              "mixed-order-a", true, pk, sig(rEnc, r.add(k.multiply(a)).mod(RefEd25519.L)), msg));
    }

    // Mixed-order R = rB + T: SB - kA - R = -T, killed by the cofactor.
    for (int i = 1; i < 8; i++) {
      BigInteger a = randomScalar(random);
      byte[] pk = RefEd25519.encode(RefEd25519.mul(a, RefEd25519.B));
      BigInteger r = randomScalar(random);
      byte[] rEnc =
          RefEd25519.encode(RefEd25519.add(RefEd25519.mul(r, RefEd25519.B), torsion.get(i)));
      BigInteger k = RefEd25519.challenge(rEnc, pk, msg);
      items.add(
          new Item(
              "mixed-order-r", true, pk, sig(rEnc, r.add(k.multiply(a)).mod(RefEd25519.L)), msg));
    }

    // S = L - 1 (largest canonical S) with torsion A and R = [L-1]B = -B: [8](-B + B - kT) = 0.
    for (int i = 0; i < 8; i++) {
      byte[] aEnc = RefEd25519.encode(torsion.get(i));
      byte[] rEnc = RefEd25519.encode(RefEd25519.neg(RefEd25519.B));
      items.add(
          new Item(
              "s-l-minus-1", true, aEnc, sig(rEnc, RefEd25519.L.subtract(BigInteger.ONE)), msg));
      // S = L with the same points: rejected (S >= L) although [L]B = 0 would balance differently
      items.add(new Item("s-equals-l", false, aEnc, sig(rEnc, RefEd25519.L), msg));
    }

    // Non-canonical encodings of large-order points as A (no valid signature can be built without
    // their discrete log): with S = 0 and R = identity, [8](-kA) != 0 unless k = 0, so bad; the
    // point still decodes (this checks decoding of y >= p does not throw or accept wrongly).
    for (byte[] aEnc : nonCanonicalLargeOrder()) {
      items.add(
          new Item(
              "non-canonical-a-large-order",
              false,
              aEnc,
              sig(RefEd25519.encode(Pt.IDENTITY), BigInteger.ZERO),
              msg));
    }

    // Invalid points: y such that (y^2 - 1)/(d y^2 + 1) is not a square.
    int invalid = 0;
    for (int y = 2; invalid < 6; y++) {
      if (RefEd25519.recoverX(BigInteger.valueOf(y), 0) != null) {
        continue;
      }
      byte[] bad = RefEd25519.toLe(BigInteger.valueOf(y), 32);
      BigInteger r = randomScalar(random);
      byte[] rEnc = RefEd25519.encode(RefEd25519.mul(r, RefEd25519.B));
      items.add(new Item("invalid-a", false, bad, sig(rEnc, r), msg));
      items.add(new Item("invalid-r", false, RefEd25519.encode(RefEd25519.B), sig(bad, r), msg));
      invalid++;
    }
    return items;
  }
}
