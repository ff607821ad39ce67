package dev.agentledger.zk.iden3;

import dev.agentledger.zk.ZkInputException;
import dev.agentledger.zk.curve.Bn254Curves;
import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.Bn254;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A snarkjs Groth16 proving key ({@code .zkey}, iden3 container, magic "zkey"). Points are read as
 * stored: affine, Montgomery form, little-endian limbs, infinity as zeros. Sections: 1 header
 * (protocol 1 = Groth16), 2 Groth16 header (curve moduli, sizes, alpha1, beta1, beta2, gamma2,
 * delta1, delta2), 3 IC, 4 QAP coefficients, 5 A, 6 B1, 7 B2, 8 C, 9 H, 10 contributions.
 *
 * <p>Coefficients are stored as {@code v * R^2 mod r} (snarkjs's convention), so that one
 * Montgomery product with a canonical witness value gives the Montgomery form of {@code v * w}.
 */
public final class Zkey {
  /** Number of variables (witness length). */
  public final int nVars;

  /** Number of public signals. */
  public final int nPublic;

  /** Evaluation domain size (a power of two). */
  public final int domainSize;

  /** Affine alpha1, beta1, delta1 (G1) and beta2, gamma2, delta2 (G2). */
  public final long[] alpha1;

  /** See {@link #alpha1}. */
  public final long[] beta1;

  /** See {@link #alpha1}. */
  public final long[] delta1;

  /** See {@link #alpha1}. */
  public final long[] beta2;

  /** See {@link #alpha1}. */
  public final long[] gamma2;

  /** See {@link #alpha1}. */
  public final long[] delta2;

  private final BinFile file;
  private long[] ic;

  private Zkey(BinFile file, int nVars, int nPublic, int domainSize, long[][] pts) {
    this.file = file;
    this.nVars = nVars;
    this.nPublic = nPublic;
    this.domainSize = domainSize;
    this.alpha1 = pts[0];
    this.beta1 = pts[1];
    this.beta2 = pts[2];
    this.gamma2 = pts[3];
    this.delta1 = pts[4];
    this.delta2 = pts[5];
  }

  /** Opens a zkey and reads its headers, checking the curve and the header points. */
  public static Zkey open(Path path) {
    BinFile f = BinFile.open(path, "zkey", 1);
    try {
      ByteBuffer h1 = f.section(1, 0, 4);
      int protocol = h1.getInt();
      if (protocol != 1) {
        throw new ZkInputException(f.name() + ": not a Groth16 key (protocol " + protocol + ")");
      }
      ByteBuffer h = f.section(2);
      int n8q = h.getInt();
      if (n8q != 32) {
        throw new ZkInputException(f.name() + ": wrong curve (base field of " + n8q + " bytes)");
      }
      BigInteger q = BinFile.readBigInt(h, n8q);
      int n8r = h.getInt();
      BigInteger r = n8r == 32 ? BinFile.readBigInt(h, n8r) : BigInteger.ZERO;
      if (!q.equals(Bn254.P) || !r.equals(Bn254.R)) {
        throw new ZkInputException(f.name() + ": wrong curve (not bn128/BN254)");
      }
      int nVars = h.getInt();
      int nPublic = h.getInt();
      int domainSize = h.getInt();
      if (nVars < 1
          || nPublic < 0
          || nPublic >= nVars
          || domainSize < 1
          || Integer.bitCount(domainSize) != 1
          || domainSize > (1 << 28)) {
        throw new ZkInputException(f.name() + ": implausible sizes in the Groth16 header");
      }
      long[][] pts = new long[6][];
      int[] widths = {8, 8, 16, 16, 8, 16};
      String[] names = {"alpha1", "beta1", "beta2", "gamma2", "delta1", "delta2"};
      for (int i = 0; i < 6; i++) {
        pts[i] = Elements.read(h, widths[i] / 4, Bn254.FP, f.name() + " " + names[i]);
        boolean ok =
            widths[i] == 8 ? Bn254Curves.g1IsValid(pts[i], 0) : Bn254Curves.g2IsValid(pts[i], 0);
        if (!ok) {
          throw new ZkInputException(f.name() + ": " + names[i] + " is not a valid group element");
        }
      }
      Zkey z = new Zkey(f, nVars, nPublic, domainSize, pts);
      z.checkSize(3, (nPublic + 1L) * 64, "IC");
      z.checkSize(5, nVars * 64L, "A");
      z.checkSize(6, nVars * 64L, "B1");
      z.checkSize(7, nVars * 128L, "B2");
      z.checkSize(8, (nVars - nPublic - 1L) * 64, "C");
      z.checkSize(9, domainSize * 64L, "H");
      return z;
    } catch (RuntimeException e) {
      f.close();
      throw e;
    }
  }

  private void checkSize(int section, long expected, String what) {
    long got = file.sectionSize(section);
    if (got != expected) {
      throw new ZkInputException(
          file.name() + ": section " + what + " has " + got + " bytes, expected " + expected);
    }
  }

  /** The file name. */
  public String name() {
    return file.name();
  }

  /** IC points ({@code nPublic + 1} affine G1 points), checked on the curve. */
  public long[] ic() {
    if (ic == null) {
      ic = g1Section(3, nPublic + 1, "IC", true);
    }
    return ic;
  }

  /** Affine G1 points of a section; {@code check} validates every point (slower). */
  public long[] g1Section(int section, int count, String what, boolean check) {
    long[] pts = Elements.read(file.section(section), count * 2L, Bn254.FP, name() + " " + what);
    if (check) {
      checkOnCurve(pts, 0, count, what);
    }
    return pts;
  }

  /**
   * Reads the {@code count} affine G1 points of a section into {@code out} from long {@code at},
   * each checked below the modulus and on the curve, as {@link #g1Section} with {@code check}.
   */
  private void g1SectionInto(int section, int count, String what, long[] out, int at) {
    Elements.read(file.section(section), count * 2L, Bn254.FP, name() + " " + what, out, at);
    checkOnCurve(out, at, count, what);
  }

  private void checkOnCurve(long[] pts, int at, int count, String what) {
    CurveOps g1 = Bn254Curves.g1();
    for (int i = 0; i < count; i++) {
      if (!g1.isOnCurveAffine(pts, at + i * 8)) {
        throw new ZkInputException(name() + ": " + what + " point " + i + " is not on G1");
      }
    }
  }

  /** Affine G1 points of A (section 5). */
  public long[] pointsA() {
    return g1Section(5, nVars, "A", true);
  }

  /** Affine G1 points of B1 (section 6). */
  public long[] pointsB1() {
    return g1Section(6, nVars, "B1", true);
  }

  /** Affine G2 points of B2 (section 7), checked on the twist (not the subgroup). */
  public long[] pointsB2() {
    long[] pts = Elements.read(file.section(7), nVars * 4L, Bn254.FP, name() + " B2");
    CurveOps g2 = Bn254Curves.g2();
    for (int i = 0; i < nVars; i++) {
      if (!g2.isOnCurveAffine(pts, i * 16)) {
        throw new ZkInputException(name() + ": B2 point " + i + " is not on the twist");
      }
    }
    return pts;
  }

  /**
   * Affine G1 points of C (section 8), one per private variable, checked, into {@code out} from
   * long {@code at}.
   */
  public void pointsCInto(long[] out, int at) {
    g1SectionInto(8, nVars - nPublic - 1, "C", out, at);
  }

  /**
   * Affine G1 points of H (section 9), one per domain point, checked, into {@code out} from long
   * {@code at}.
   */
  public void pointsHInto(long[] out, int at) {
    g1SectionInto(9, domainSize, "H", out, at);
  }

  /** The QAP coefficients of section 4. */
  public Coefficients coefficients() {
    ByteBuffer b = file.section(4);
    long n = Integer.toUnsignedLong(b.getInt());
    if (n * 44 + 4 != file.sectionSize(4)) {
      throw new ZkInputException(name() + ": coefficient section size does not match its count");
    }
    int count = (int) n;
    int[] matrix = new int[count];
    int[] constraint = new int[count];
    int[] signal = new int[count];
    long[] values = new long[count * 4];
    for (int i = 0; i < count; i++) {
      matrix[i] = b.getInt();
      constraint[i] = b.getInt();
      signal[i] = b.getInt();
      values[4 * i] = b.getLong();
      values[4 * i + 1] = b.getLong();
      values[4 * i + 2] = b.getLong();
      values[4 * i + 3] = b.getLong();
      if ((matrix[i] != 0 && matrix[i] != 1)
          || constraint[i] < 0
          || constraint[i] >= domainSize
          || signal[i] < 0
          || signal[i] >= nVars
          || !Bn254.FR.isCanonical(values, 4 * i)) {
        throw new ZkInputException(name() + ": coefficient " + i + " is out of range");
      }
    }
    return new Coefficients(matrix, constraint, signal, values);
  }

  /** QAP coefficients: {@code (matrix A=0/B=1, constraint, signal, value * R^2)}. */
  public record Coefficients(int[] matrix, int[] constraint, int[] signal, long[] values) {}

  /** Closes the file. */
  public void close() {
    file.close();
  }
}
