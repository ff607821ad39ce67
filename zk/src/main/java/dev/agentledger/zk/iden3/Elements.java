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
    read(b, count, f, what, out, 0);
    return out;
  }

  /**
   * As {@link #read(ByteBuffer, long, MontField, String)} into {@code out} from long {@code at}
   * ({@code 4 * count} longs).
   */
  public static void read(ByteBuffer b, long count, MontField f, String what, long[] out, int at) {
    if (count * 4 > out.length - (long) at) {
      throw new IllegalArgumentException(what + ": " + count + " elements do not fit");
    }
    int len = (int) (count * 4);
    b.order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out, at, len);
    b.position(b.position() + len * 8);
    for (int i = 0; i < len; i += 4) {
      if (!f.isCanonical(out, at + i)) {
        throw new ZkInputException(what + ": element " + i / 4 + " is not below the modulus");
      }
    }
  }
}
