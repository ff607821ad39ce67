package dev.agentledger.hash.simd;

/**
 * What is constant in a block whose first {@code variableWords} words carry message data and whose
 * other words are fixed (padding and length). Every lane hashes a message of the same length, so
 * the fixed words are the same in every lane: they are written once into the per-thread word arrays
 * ({@link #newScratch}). A block with no data at all (the padding block of a 64-byte message) has
 * its whole schedule, and {@code K[t] + W[t]}, precomputed: it costs the 64 rounds only ({@link
 * Sha256Lanes#compressKw}).
 *
 * <p>(Folding the constant words into the schedule of partly constant blocks, such as the second
 * block of a 65-byte RFC 6962 node, saves about 120 of its 576 schedule operations, but computing
 * the schedule in memory to do so cost more than computing all of it in registers: measured 19.7 vs
 * 25.8 M nodes per CPU-second.)
 */
final class BlockTemplate {
  final int variableWords;
  private final boolean[] variable = new boolean[64];
  private final int[] constantWords = new int[64];

  /**
   * @param variableWords words {@code [0, variableWords)} carry data
   * @param fixedWords the values of words {@code [variableWords, 16)} (index by word number)
   */
  BlockTemplate(int variableWords, int[] fixedWords) {
    this.variableWords = variableWords;
    for (int t = 0; t < 16; t++) {
      variable[t] = t < variableWords;
      constantWords[t] = variable[t] ? 0 : fixedWords[t];
    }
    for (int t = 16; t < 64; t++) {
      variable[t] = variable[t - 2] || variable[t - 7] || variable[t - 15] || variable[t - 16];
      if (!variable[t]) {
        constantWords[t] =
            sigma1(constantWords[t - 2])
                + constantWords[t - 7]
                + sigma0(constantWords[t - 15])
                + constantWords[t - 16];
      }
    }
  }

  /** Schedule words 16..63 that depend on message data. */
  int variableScheduleWords() {
    int n = 0;
    for (int t = 16; t < 64; t++) {
      n += variable[t] ? 1 : 0;
    }
    return n;
  }

  /** New {@code w} and {@code kw} arrays with the constant rows filled. */
  int[][] newScratch() {
    int l = Sha256Lanes.LANES;
    int[] w = new int[64 * l];
    int[] kw = new int[64 * l];
    for (int t = 0; t < 64; t++) {
      if (!variable[t]) {
        java.util.Arrays.fill(w, t * l, (t + 1) * l, constantWords[t]);
        java.util.Arrays.fill(kw, t * l, (t + 1) * l, constantWords[t] + Sha256Lanes.K[t]);
      }
    }
    return new int[][] {w, kw};
  }

  static int sigma0(int x) {
    return Integer.rotateRight(x, 7) ^ Integer.rotateRight(x, 18) ^ (x >>> 3);
  }

  static int sigma1(int x) {
    return Integer.rotateRight(x, 17) ^ Integer.rotateRight(x, 19) ^ (x >>> 10);
  }
}
