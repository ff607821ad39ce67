package dev.agentledger.hash.simd;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Multi-buffer SHA-256 with the Vector API: {@link #LANES} messages of equal length at once, one
 * per lane. Three entry points: any fixed length ({@link #digestFixed}), and the two fixed-size
 * inputs of RFC 6962 trees, whose padding is constant and precomputed: nodes {@code 0x01 || left ||
 * right} ({@link #hashNodes}, 65 bytes, 2 blocks, the second block mostly constant) and leaves
 * {@code 0x00 || 32 bytes} ({@link #hashLeaves32}, 33 bytes, 1 block).
 *
 * <p>Inputs are transposed into word-major arrays with big-endian scalar loads (17 per node), the
 * compression runs in vectors ({@link Sha256Lanes}), and the eight state words are written back per
 * lane. Groups smaller than {@link #LANES} run in a partly filled vector; callers that care about
 * tiny batches choose the single-stream engine for them ({@link
 * dev.agentledger.hash.Sha256Engines}). Thread-safe: scratch arrays are per thread. No allocation
 * per message.
 */
public final class MultiBufferSha256 {
  /** Messages per vector: the lanes of the preferred species (never hard-coded). */
  public static final int LANES = Sha256Lanes.LANES;

  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final int H = 32;

  /** Second block of a 65-byte node: word 0 varies, then zeros, then the bit length 520. */
  static final BlockTemplate NODE_TAIL = new BlockTemplate(1, fixedTail(65, 64));

  /** The only block of a 33-byte leaf: words 0..8 vary, then zeros, then the bit length 264. */
  static final BlockTemplate LEAF_33 = new BlockTemplate(9, fixedTail(33, 0));

  /** Message lengths whose constant blocks each thread keeps once made ({@link #digestFixed}). */
  static final int CACHED_TAIL_BYTES = 256;

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private MultiBufferSha256() {}

  /** Per-thread word-major arrays. */
  private static final class Scratch {
    final int[] state = new int[8 * LANES];
    final int[] vars = new int[8 * LANES];
    final int[] w = new int[16 * LANES];
    final int[][] nodeTail = NODE_TAIL.newScratch();
    final int[][] leaf = LEAF_33.newScratch();

    /**
     * Word arrays of the partly or wholly constant blocks of messages of each length up to {@link
     * #CACHED_TAIL_BYTES}, made on first use and kept (a caller alternating a few lengths, such as
     * the state's value kinds, allocates nothing after the first call of each); longer messages
     * keep those of the last length only.
     */
    private final int[][][][] tailsByLength = new int[CACHED_TAIL_BYTES + 1][][][];

    private int tailLength = -1;

    private int[][][] tails;

    int[][] tail(int messageBytes, int blocks, int block, int variableWords) {
      int[][][] t;
      if (messageBytes <= CACHED_TAIL_BYTES) {
        t = tailsByLength[messageBytes];
        if (t == null) {
          t = tailsByLength[messageBytes] = new int[blocks][][];
        }
      } else {
        if (tailLength != messageBytes) {
          tailLength = messageBytes;
          tails = new int[blocks][][];
        }
        t = tails;
      }
      if (t[block] == null) {
        t[block] =
            new BlockTemplate(variableWords, fixedTail(messageBytes, block * 64)).newScratch();
      }
      return t[block];
    }
  }

  /**
   * Padded-message words 0..15 of the block starting at byte {@code blockStart} (data bytes read as
   * 0).
   */
  private static int[] fixedTail(int messageBytes, int blockStart) {
    int[] words = new int[16];
    for (int j = 0; j < 16; j++) {
      int word = 0;
      for (int k = 0; k < 4; k++) {
        word = (word << 8) | paddingByte(blockStart + 4 * j + k, messageBytes);
      }
      words[j] = word;
    }
    return words;
  }

  /** Byte {@code position} of the padded message, data bytes counted as 0. */
  private static int paddingByte(int position, int messageBytes) {
    int total = paddedBytes(messageBytes);
    if (position == messageBytes) {
      return 0x80;
    }
    if (position >= total - 8) {
      long bits = (long) messageBytes * 8;
      return (int) (bits >>> (8 * (total - 1 - position))) & 0xff;
    }
    return 0;
  }

  static int paddedBytes(int messageBytes) {
    return ((messageBytes + 8) / 64 + 1) * 64;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * RFC 6962 interior nodes: {@code out[i] = SHA-256(0x01 || children[2i] || children[2i+1])} for
   * {@code i < pairCount}, 32-byte children packed from {@code childOffset}, parents packed from
   * {@code outOffset}.
   */
  public static void hashNodes(
      byte[] children, int childOffset, int pairCount, byte[] out, int outOffset) {
    hashPrefixed64(0x01, children, childOffset, pairCount, out, outOffset);
  }

  /**
   * 65-byte messages {@code prefix || 64 bytes}: {@code out[i] = SHA-256(prefix || in[64i, 64i +
   * 64))} for {@code i < count}, digests packed from {@code outOffset}. Nodes of RFC 6962 trees
   * ({@code 0x01}) and the leaves and nodes of the sparse Merkle tree ({@code 0x00 || key ||
   * valueHash}, {@code 0x01 || left || right}).
   */
  public static void hashPrefixed64(
      int prefix, byte[] children, int childOffset, int pairCount, byte[] out, int outOffset) {
    checkRange(children, childOffset, (long) pairCount * 2 * H);
    checkRange(out, outOffset, (long) pairCount * H);
    Scratch s = SCRATCH.get();
    int[] w = s.w;
    int[] tw = s.nodeTail[0];
    for (int first = 0; first < pairCount; first += LANES) {
      int lanes = Math.min(LANES, pairCount - first);
      for (int i = 0; i < lanes; i++) {
        int base = childOffset + (first + i) * 2 * H;
        w[i] = (prefix << 24) | ((int) INT_BE.get(children, base) >>> 8);
        for (int j = 1; j < 16; j++) {
          w[j * LANES + i] = (int) INT_BE.get(children, base + 4 * j - 1);
        }
        tw[i] = ((children[base + 63] & 0xff) << 24) | 0x00800000;
      }
      clearLanes(w, 16, lanes);
      clearLanes(tw, 1, lanes);
      System.arraycopy(Sha256Lanes.IV_LANES, 0, s.state, 0, 8 * LANES);
      Sha256Lanes.compress(w, s.vars, s.state);
      Sha256Lanes.compress(tw, s.vars, s.state);
      writeDigests(s.state, lanes, out, outOffset + first * H);
    }
  }

  /**
   * RFC 6962 leaves of 32-byte data: {@code out[i] = SHA-256(0x00 || data[i])} for {@code i <
   * count}.
   */
  public static void hashLeaves32(
      byte[] data, int dataOffset, int count, byte[] out, int outOffset) {
    checkRange(data, dataOffset, (long) count * H);
    checkRange(out, outOffset, (long) count * H);
    Scratch s = SCRATCH.get();
    int[] w = s.leaf[0];
    for (int first = 0; first < count; first += LANES) {
      int lanes = Math.min(LANES, count - first);
      for (int i = 0; i < lanes; i++) {
        int base = dataOffset + (first + i) * H;
        w[i] = (int) INT_BE.get(data, base) >>> 8;
        for (int j = 1; j < 8; j++) {
          w[j * LANES + i] = (int) INT_BE.get(data, base + 4 * j - 1);
        }
        w[8 * LANES + i] = ((data[base + 31] & 0xff) << 24) | 0x00800000;
      }
      clearLanes(w, 9, lanes);
      System.arraycopy(Sha256Lanes.IV_LANES, 0, s.state, 0, 8 * LANES);
      Sha256Lanes.compress(w, s.vars, s.state);
      writeDigests(s.state, lanes, out, outOffset + first * H);
    }
  }

  /**
   * SHA-256 of {@code count} messages of {@code messageBytes} bytes each, packed back to back from
   * {@code inOffset}; digests packed from {@code outOffset}. Blocks that hold no message data
   * (padding only) cost the rounds alone: their schedule is precomputed.
   */
  public static void digestFixed(
      byte[] in, int inOffset, int messageBytes, int count, byte[] out, int outOffset) {
    if (messageBytes < 0) {
      throw new IllegalArgumentException("negative message length");
    }
    checkRange(in, inOffset, (long) count * messageBytes);
    checkRange(out, outOffset, (long) count * H);
    Scratch s = SCRATCH.get();
    int blocks = paddedBytes(messageBytes) / 64;
    for (int first = 0; first < count; first += LANES) {
      int lanes = Math.min(LANES, count - first);
      System.arraycopy(Sha256Lanes.IV_LANES, 0, s.state, 0, 8 * LANES);
      for (int b = 0; b < blocks; b++) {
        int blockStart = b * 64;
        int dataInBlock = Math.max(0, Math.min(64, messageBytes - blockStart));
        int variableWords = (dataInBlock + 3) / 4;
        int[] w = s.w;
        int[] kw = null;
        if (variableWords < 16) {
          int[][] tail = s.tail(messageBytes, blocks, b, variableWords);
          w = tail[0];
          kw = tail[1];
        }
        for (int i = 0; i < lanes; i++) {
          int base = inOffset + (first + i) * messageBytes;
          for (int j = 0; j < variableWords; j++) {
            int p = blockStart + 4 * j;
            int word;
            if (p + 4 <= messageBytes) {
              word = (int) INT_BE.get(in, base + p);
            } else {
              word = 0;
              for (int k = 0; k < 4; k++) {
                int q = p + k;
                int v = q < messageBytes ? in[base + q] & 0xff : paddingByte(q, messageBytes);
                word = (word << 8) | v;
              }
            }
            w[j * LANES + i] = word;
          }
        }
        clearLanes(w, variableWords, lanes);
        if (variableWords > 0) {
          Sha256Lanes.compress(w, s.vars, s.state);
        } else {
          Sha256Lanes.compressKw(kw, s.vars, s.state);
        }
      }
      writeDigests(s.state, lanes, out, outOffset + first * H);
    }
  }

  /**
   * This thread's constant-block arrays for block {@code block} of messages of {@code messageBytes}
   * bytes, as {@link #digestFixed} uses them (made on first use).
   */
  static int[][] constantBlock(int messageBytes, int block) {
    int blocks = paddedBytes(messageBytes) / 64;
    int dataInBlock = Math.max(0, Math.min(64, messageBytes - block * 64));
    return SCRATCH.get().tail(messageBytes, blocks, block, (dataInBlock + 3) / 4);
  }

  /** Zeroes lanes {@code [lanes, LANES)} of words {@code [0, words)} (a partly filled group). */
  private static void clearLanes(int[] w, int words, int lanes) {
    if (lanes == LANES) {
      return;
    }
    for (int j = 0; j < words; j++) {
      java.util.Arrays.fill(w, j * LANES + lanes, (j + 1) * LANES, 0);
    }
  }

  private static void writeDigests(int[] state, int lanes, byte[] out, int outOffset) {
    for (int i = 0; i < lanes; i++) {
      int o = outOffset + i * H;
      for (int j = 0; j < 8; j++) {
        INT_BE.set(out, o + 4 * j, state[j * LANES + i]);
      }
    }
  }

  static void checkRange(byte[] array, int offset, long length) {
    if (offset < 0 || length < 0 || offset + length > array.length) {
      throw new IndexOutOfBoundsException(
          "range [" + offset + ", " + (offset + length) + ") outside an array of " + array.length);
    }
  }
}
