package dev.agentledger.hash.simd;

/**
 * What is constant in a block whose first {@code variableWords} words carry message data and whose
 * other words are fixed (padding and length). Since every lane hashes a message of the same
 * length, those words are the same in every lane, and so is every schedule word that depends on
 * them only: those are computed once here, together with their {@code K[t] + W[t]}. For the other
 * schedule words the constant terms are summed once, and {@link Sha256Lanes#expand} adds only the
 * terms that vary.
 *
 * <p>Examples: the second block of an RFC 6962 node ({@code 0x01 || 64 bytes}, 65 bytes) has one
 * variable word (the last data byte, {@code 0x80}, zeros) and 15 constant ones; 3 of its 48 schedule
 * words are constant and most others lose one to three terms. The padding block of a 64-byte
 * message is entirely constant: its whole {@code K + W} is precomputed and it costs the 64 rounds
 * only.
 */
final class BlockTemplate {
  static final int VAR_T2 = 1;
  static final int VAR_T7 = 2;
  static final int VAR_T15 = 4;
  static final int VAR_T16 = 8;

  final int variableWords;
  /** Per schedule word 16..63: which terms vary (0: the word is constant). */
  final byte[] flags = new byte[64];
  /** Per schedule word, broadcast word-major: the sum of its constant terms. */
  final int[] constantTerms;
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
    int[] sums = new int[64];
    for (int t = 16; t < 64; t++) {
      int f = 0;
      int sum = 0;
      if (variable[t - 2]) {
        f |= VAR_T2;
      } else {
        sum += sigma1(constantWords[t - 2]);
      }
      if (variable[t - 7]) {
        f |= VAR_T7;
      } else {
        sum += constantWords[t - 7];
      }
      if (variable[t - 15]) {
        f |= VAR_T15;
      } else {
        sum += sigma0(constantWords[t - 15]);
      }
      if (variable[t - 16]) {
        f |= VAR_T16;
      } else {
        sum += constantWords[t - 16];
      }
      flags[t] = (byte) f;
      variable[t] = f != 0;
      if (f == 0) {
        constantWords[t] = sum;
      } else {
        sums[t] = sum;
      }
    }
    constantTerms = Sha256Lanes.broadcastRows(sums);
  }

  /** Schedule words that must be computed per block (the rest are precomputed). */
  int computedScheduleWords() {
    int n = 0;
    for (int t = 16; t < 64; t++) {
      n += flags[t] != 0 ? 1 : 0;
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
