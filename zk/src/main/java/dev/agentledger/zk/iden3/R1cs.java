package dev.agentledger.zk.iden3;

import dev.agentledger.zk.ZkInputException;
import dev.agentledger.zk.field.Bn254;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A circom constraint system ({@code .r1cs}, iden3 container, magic "r1cs"): section 1 the header
 * (u32 n8, the prime, u32 nWires, nPubOut, nPubIn, nPrvIn, u64 nLabels, u32 nConstraints), section
 * 2 the constraints {@code A * B = C}, each of the three a list of (u32 wire, n8-byte canonical
 * coefficient) terms behind a u32 count. Only BN254's scalar field is accepted.
 *
 * <p>The terms of each matrix are kept flat: {@link #constraint}, {@link #wire} and {@link #coef}
 * (canonical limbs, four longs a term) in constraint order, for A ({@code matrix 0}), B (1) and C
 * (2).
 */
public final class R1cs {
  /** Number of wires (the witness length, wire 0 is the constant 1). */
  public final int nWires;

  /** Public outputs plus public inputs (wires 1..nPublic). */
  public final int nPublic;

  /** Number of constraints. */
  public final int nConstraints;

  private final int[][] constraint = new int[3][];
  private final int[][] wire = new int[3][];
  private final long[][] coef = new long[3][];

  private R1cs(int nWires, int nPublic, int nConstraints) {
    this.nWires = nWires;
    this.nPublic = nPublic;
    this.nConstraints = nConstraints;
  }

  /** Reads and checks a {@code .r1cs} file. */
  public static R1cs read(Path path) {
    try (BinFile f = BinFile.open(path, "r1cs", 1)) {
      ByteBuffer h = f.section(1);
      int n8 = h.getInt();
      if (n8 != 32) {
        throw new ZkInputException(f.name() + ": wrong curve (field of " + n8 + " bytes)");
      }
      BigInteger q = BinFile.readBigInt(h, n8);
      if (!q.equals(Bn254.R)) {
        throw new ZkInputException(f.name() + ": wrong curve (the field is not BN254's r)");
      }
      long nWires = Integer.toUnsignedLong(h.getInt());
      long nPubOut = Integer.toUnsignedLong(h.getInt());
      long nPubIn = Integer.toUnsignedLong(h.getInt());
      h.getInt(); // private inputs
      h.getLong(); // labels
      long nConstraints = Integer.toUnsignedLong(h.getInt());
      if (nWires < 1
          || nWires > (1 << 28)
          || nPubOut + nPubIn >= nWires
          || nConstraints > (1 << 28)) {
        throw new ZkInputException(f.name() + ": implausible sizes in the r1cs header");
      }
      R1cs r = new R1cs((int) nWires, (int) (nPubOut + nPubIn), (int) nConstraints);
      r.readConstraints(f.section(2), f.name());
      return r;
    }
  }

  private void readConstraints(ByteBuffer b, String name) {
    int[] counts = new int[3];
    // first pass: count the terms of each matrix, checking the structure
    int start = b.position();
    for (int c = 0; c < nConstraints; c++) {
      for (int m = 0; m < 3; m++) {
        int k = terms(b, name, c);
        counts[m] += k;
        skip(b, name, (long) k * 36);
      }
    }
    if (b.hasRemaining()) {
      throw new ZkInputException(name + ": " + b.remaining() + " bytes after the last constraint");
    }
    for (int m = 0; m < 3; m++) {
      constraint[m] = new int[counts[m]];
      wire[m] = new int[counts[m]];
      coef[m] = new long[4 * counts[m]];
    }
    b.position(start);
    int[] at = new int[3];
    for (int c = 0; c < nConstraints; c++) {
      for (int m = 0; m < 3; m++) {
        int k = b.getInt();
        for (int t = 0; t < k; t++) {
          int i = at[m]++;
          int w = b.getInt();
          if (w < 0 || w >= nWires) {
            throw new ZkInputException(name + ": constraint " + c + " names wire " + w);
          }
          constraint[m][i] = c;
          wire[m][i] = w;
          long[] v = coef[m];
          v[4 * i] = b.getLong();
          v[4 * i + 1] = b.getLong();
          v[4 * i + 2] = b.getLong();
          v[4 * i + 3] = b.getLong();
          if (!Bn254.FR.isCanonical(v, 4 * i)) {
            throw new ZkInputException(
                name + ": constraint " + c + " has a coefficient not below the modulus");
          }
        }
      }
    }
  }

  private static int terms(ByteBuffer b, String name, int c) {
    if (b.remaining() < 4) {
      throw new ZkInputException(name + ": truncated at constraint " + c);
    }
    int k = b.getInt();
    if (k < 0) {
      throw new ZkInputException(name + ": constraint " + c + " has " + k + " terms");
    }
    return k;
  }

  private static void skip(ByteBuffer b, String name, long bytes) {
    if (bytes > b.remaining()) {
      throw new ZkInputException(name + ": truncated (a constraint runs past its section)");
    }
    b.position(b.position() + (int) bytes);
  }

  /** Number of terms of matrix {@code m} (0 A, 1 B, 2 C). */
  public int terms(int m) {
    return wire[m].length;
  }

  /** The constraint of each term of matrix {@code m} (shared array, do not modify). */
  public int[] constraint(int m) {
    return constraint[m];
  }

  /** The wire of each term of matrix {@code m} (shared array, do not modify). */
  public int[] wire(int m) {
    return wire[m];
  }

  /** The canonical coefficient limbs of matrix {@code m}, four a term (shared, do not modify). */
  public long[] coef(int m) {
    return coef[m];
  }
}
