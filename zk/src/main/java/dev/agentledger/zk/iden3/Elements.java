package dev.agentledger.zk.iden3;

import dev.agentledger.zk.ZkInputException;
import dev.agentledger.zk.field.MontField;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Bulk decoding of 32-byte little-endian field elements into limbs, with a range check. */
public final class Elements {
  private Elements() {}

  /**
   * Reads {@code count} elements of 32 bytes into {@code out} from offset 0, checking each is below
   * the field's modulus (Montgomery or canonical form alike must be reduced).
   */
  public static long[] read(ByteBuffer b, long count, MontField f, String what) {
    if (count * 4 > Integer.MAX_VALUE - 8) {
      throw new ZkInputException(what + ": too many elements");
    }
    long[] out = new long[(int) (count * 4)];
    b.order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
    b.position(b.position() + out.length * 8);
    for (int i = 0; i < out.length; i += 4) {
      if (!f.isCanonical(out, i)) {
        throw new ZkInputException(what + ": element " + i / 4 + " is not below the modulus");
      }
    }
    return out;
  }
}
