package dev.agentledger.zk.iden3;

import dev.agentledger.zk.ZkInputException;
import dev.agentledger.zk.field.Bn254;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A circom witness ({@code .wtns}, iden3 container, magic "wtns"): section 1 (u32 n8, the prime,
 * u32 count), section 2 the values, canonical little-endian, each below the scalar field modulus.
 */
public final class Wtns {
  private Wtns() {}

  /** Reads the witness values as canonical limbs ({@code 4 * count} longs). */
  public static long[] read(Path path) {
    try (BinFile f = BinFile.open(path, "wtns", 2)) {
      ByteBuffer h = f.section(1);
      int n8 = h.getInt();
      if (n8 != 32) {
        throw new ZkInputException(f.name() + ": wrong curve (field of " + n8 + " bytes)");
      }
      BigInteger q = BinFile.readBigInt(h, n8);
      if (!q.equals(Bn254.R)) {
        throw new ZkInputException(f.name() + ": wrong curve (witness field is not BN254's r)");
      }
      long n = Integer.toUnsignedLong(h.getInt());
      if (f.sectionSize(2) != n * 32) {
        throw new ZkInputException(f.name() + ": witness section does not hold " + n + " values");
      }
      return Elements.read(f.section(2), n, Bn254.FR, f.name() + " witness");
    }
  }
}
