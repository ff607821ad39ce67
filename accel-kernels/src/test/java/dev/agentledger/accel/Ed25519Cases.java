package dev.agentledger.accel;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 inputs with verdicts derived from the rules: random (BouncyCastle), RFC 8032, ZIP-215
 * edges.
 */
public final class Ed25519Cases {
  /** One input with its expected ZIP-215 verdict and a label for failure messages. */
  public record Case(String label, byte[] pub, byte[] sig, byte[] msg, boolean valid) {}

  private static final HexFormat HEX = HexFormat.of();

  private Ed25519Cases() {}

  public static byte[] hex(String s) {
    return HEX.parseHex(s);
  }

  /** Random signatures by BouncyCastle; every third one is corrupted (sig, key or message). */
  public static List<Case> random(long seed, int n) {
    Random rnd = new Random(seed);
    List<Case> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] seedBytes = new byte[32];
      rnd.nextBytes(seedBytes);
      Ed25519PrivateKeyParameters sk = new Ed25519PrivateKeyParameters(seedBytes, 0);
      byte[] pub = sk.generatePublicKey().getEncoded();
      byte[] msg = new byte[rnd.nextInt(300)];
      rnd.nextBytes(msg);
      Ed25519Signer signer = new Ed25519Signer();
      signer.init(true, sk);
      signer.update(msg, 0, msg.length);
      byte[] sig = signer.generateSignature();
      int mode = i % 3 == 2 ? 1 + rnd.nextInt(3) : 0;
      switch (mode) {
        case 1 -> sig[rnd.nextInt(64)] ^= (byte) (1 << rnd.nextInt(8));
        case 2 -> pub[rnd.nextInt(32)] ^= (byte) (1 << rnd.nextInt(8));
        case 3 -> {
          if (msg.length == 0) {
            msg = new byte[] {1};
          } else {
            msg[rnd.nextInt(msg.length)] ^= 1;
          }
        }
        default -> {}
      }
      out.add(new Case("random#" + i + " mode " + mode, pub, sig, msg, bcVerify(pub, sig, msg)));
    }
    return out;
  }

  /**
   * BouncyCastle's RFC 8032 verdict (agrees with ZIP-215 on honestly made and randomly broken
   * signatures).
   */
  public static boolean bcVerify(byte[] pub, byte[] sig, byte[] msg) {
    try {
      Ed25519Signer v = new Ed25519Signer();
      v.init(false, new Ed25519PublicKeyParameters(pub, 0));
      v.update(msg, 0, msg.length);
      return v.verifySignature(sig);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public static List<Case> rfc8032() {
    List<Case> out = new ArrayList<>();
    try (InputStream in = Ed25519Cases.class.getResourceAsStream("/vectors/rfc8032-ed25519.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split(" ");
        out.add(
            new Case(
                "rfc8032 " + f[0].substring(0, 8),
                hex(f[0]),
                hex(f[1]),
                f[2].equals("-") ? new byte[0] : hex(f[2]),
                true));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static byte[] zeroSigWith(byte[] r) {
    byte[] sig = new byte[64];
    System.arraycopy(r, 0, sig, 0, 32);
    return sig;
  }

  /**
   * Hand-built ZIP-215 edge cases; the expected verdict is reasoned from the rules in each label.
   */
  public static List<Case> zip215Edges() {
    List<Case> out = new ArrayList<>();
    byte[] identity = new byte[32];
    identity[0] = 1;
    byte[] identityNonCanonical =
        hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"); // y = p + 1
    byte[] identityNegZero = identity.clone();
    identityNegZero[31] = (byte) 0x80; // x = 0 with sign bit 1
    byte[] order2 =
        hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"); // y = -1
    byte[] order4 = new byte[32]; // y = 0, x = sqrt(-1)
    byte[] msg = "zip215".getBytes(StandardCharsets.US_ASCII);

    // [8][0]B = [8]R + [8][k]A holds whenever A and R have small order.
    out.add(
        new Case(
            "A = R = identity, S = 0: small order accepted",
            identity,
            zeroSigWith(identity),
            msg,
            true));
    out.add(
        new Case(
            "A = identity with y = p + 1 (non-canonical): accepted",
            identityNonCanonical,
            zeroSigWith(identity),
            msg,
            true));
    out.add(
        new Case(
            "R = identity with y = p + 1 (non-canonical): accepted",
            identity,
            zeroSigWith(identityNonCanonical),
            msg,
            true));
    out.add(
        new Case(
            "A = identity with sign bit set (-0): accepted",
            identityNegZero,
            zeroSigWith(identity),
            msg,
            true));
    out.add(new Case("A of order 2 (y = -1): accepted", order2, zeroSigWith(identity), msg, true));
    out.add(
        new Case(
            "A of order 4 (y = 0), R of order 2: accepted",
            order4,
            zeroSigWith(order2),
            msg,
            true));

    // A real key: small-order R and S = 0 cannot balance [8][k]A of full order.
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    Ed25519PrivateKeyParameters sk = new Ed25519PrivateKeyParameters(seed, 0);
    byte[] pub = sk.generatePublicKey().getEncoded();
    out.add(
        new Case(
            "full-order A, R = identity, S = 0: rejected", pub, zeroSigWith(identity), msg, false));

    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, sk);
    signer.update(msg, 0, msg.length);
    byte[] good = signer.generateSignature();
    out.add(new Case("valid signature", pub, good, msg, true));
    BigInteger s = Zip215Reference.scalar(Arrays.copyOfRange(good, 32, 64));
    byte[] sPlusL = good.clone();
    System.arraycopy(Zip215Reference.littleEndian(s.add(Zip215Reference.L), 32), 0, sPlusL, 32, 32);
    out.add(new Case("S + L (S >= L): rejected", pub, sPlusL, msg, false));
    byte[] sIsL = zeroSigWith(identity);
    System.arraycopy(Zip215Reference.littleEndian(Zip215Reference.L, 32), 0, sIsL, 32, 32);
    out.add(
        new Case(
            "S = L with small-order A, R: rejected (S must be < L)", identity, sIsL, msg, false));
    byte[] sMax = zeroSigWith(identity);
    Arrays.fill(sMax, 32, 64, (byte) 0xff);
    out.add(new Case("S = 2^256 - 1: rejected", identity, sMax, msg, false));

    // A = aB + T4 (torsion component): the cofactored equation holds, the cofactorless one does
    // not.
    BigInteger a = BigInteger.valueOf(0x1234567L).shiftLeft(100).add(BigInteger.valueOf(99));
    BigInteger[] t4 = Zip215Reference.decode(order4);
    byte[] mixedPub =
        Zip215Reference.encode(Zip215Reference.add(Zip215Reference.mul(a, Zip215Reference.B), t4));
    // Pick the nonce so that k T4 != 0, otherwise even the cofactorless equation would hold.
    BigInteger nonce = BigInteger.valueOf(987654321L);
    while (Zip215Reference.challenge(
                Zip215Reference.encode(Zip215Reference.mul(nonce, Zip215Reference.B)),
                mixedPub,
                msg)
            .mod(BigInteger.valueOf(4))
            .signum()
        == 0) {
      nonce = nonce.add(BigInteger.ONE);
    }
    byte[] mixedSig = Zip215Reference.signWithScalars(a, nonce, mixedPub, msg);
    out.add(
        new Case(
            "A with a torsion component, honest S: accepted by the cofactored rule",
            mixedPub,
            mixedSig,
            msg,
            true));
    // R = rB + T8-ish: add order-4 torsion to R, S unchanged.
    // S B = R + k A' + (1 + k) T4 off by torsion: pick the nonce so that (1 + k) T4 != 0.
    BigInteger rNonce = BigInteger.valueOf(5555);
    byte[] rTorsion;
    BigInteger k;
    do {
      rNonce = rNonce.add(BigInteger.ONE);
      rTorsion =
          Zip215Reference.encode(
              Zip215Reference.add(Zip215Reference.mul(rNonce, Zip215Reference.B), t4));
      k = Zip215Reference.challenge(rTorsion, mixedPub, msg);
    } while (k.add(BigInteger.ONE).mod(BigInteger.valueOf(4)).signum() == 0);
    byte[] sigRTorsion = new byte[64];
    System.arraycopy(rTorsion, 0, sigRTorsion, 0, 32);
    System.arraycopy(
        Zip215Reference.littleEndian(rNonce.add(k.multiply(a)).mod(Zip215Reference.L), 32),
        0,
        sigRTorsion,
        32,
        32);
    out.add(
        new Case(
            "R with a torsion component: accepted by the cofactored rule",
            mixedPub,
            sigRTorsion,
            msg,
            true));

    // y = 2 is not the y of any curve point ((y^2 - 1)/(d y^2 + 1) is not a square).
    byte[] offCurve = new byte[32];
    offCurve[0] = 2;
    out.add(
        new Case(
            "A not on the curve (y = 2): rejected", offCurve, zeroSigWith(identity), msg, false));
    out.add(
        new Case(
            "R not on the curve (y = 2): rejected", identity, zeroSigWith(offCurve), msg, false));
    return out;
  }

  public static List<Case> all(long seed, int randomCount) {
    List<Case> out = new ArrayList<>(random(seed, randomCount));
    out.addAll(rfc8032());
    out.addAll(zip215Edges());
    return out;
  }
}
