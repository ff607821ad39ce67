package dev.agentledger.hash.simd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.hash.Sha256Engine;
import dev.agentledger.hash.Sha256Engines;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every engine against the JDK MessageDigest, on fresh random inputs of every shape. */
class MultiBufferSha256Test {
  private static final Sha256Engine[] ENGINES = {
    Sha256Engines.simd(), Sha256Engines.single(), Sha256Engines.adaptive()
  };

  static byte[] reference(byte[]... parts) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (byte[] part : parts) {
      md.update(part);
    }
    return md.digest();
  }

  @Test
  void lanesFollowThePreferredSpecies() {
    assertThat(MultiBufferSha256.LANES)
        .isEqualTo(jdk.incubator.vector.IntVector.SPECIES_PREFERRED.length());
  }

  @Test
  void fixedLengthBatchesMatchMessageDigestForEveryLengthUpTo200() throws Exception {
    Random random = new Random(180_4);
    for (Sha256Engine engine : ENGINES) {
      for (int len = 0; len <= 200; len++) {
        int count = 1 + random.nextInt(2 * MultiBufferSha256.LANES + 3);
        int inOffset = random.nextInt(5);
        int outOffset = random.nextInt(5);
        byte[] in = new byte[inOffset + len * count];
        random.nextBytes(in);
        byte[] out = new byte[outOffset + 32 * count + 3];
        engine.digestFixed(in, inOffset, len, count, out, outOffset);
        for (int i = 0; i < count; i++) {
          byte[] expected =
              reference(Arrays.copyOfRange(in, inOffset + i * len, inOffset + (i + 1) * len));
          assertThat(Arrays.copyOfRange(out, outOffset + 32 * i, outOffset + 32 * i + 32))
              .as("%s len %d message %d of %d", engine.name(), len, i, count)
              .isEqualTo(expected);
        }
      }
    }
  }

  /**
   * A caller alternating a few lengths (the state's value kinds) gets the right digests, and the
   * constant blocks of each length are made once and kept across the alternation, not made again at
   * every change of length.
   */
  @Test
  void alternatingLengthsAreRightAndKeepTheirConstantBlocks() throws Exception {
    int[] lengths = {58, 81, 97, 41};
    int count = 2 * MultiBufferSha256.LANES + 1;
    Random random = new Random(97);
    byte[][] in = new byte[lengths.length][];
    for (int k = 0; k < lengths.length; k++) {
      in[k] = new byte[lengths[k] * count];
      random.nextBytes(in[k]);
    }
    byte[] out = new byte[32 * count];
    int[][] accountTail = MultiBufferSha256.constantBlock(58, 1);
    int[][] usageTail = MultiBufferSha256.constantBlock(97, 1);
    for (int round = 0; round < 3; round++) {
      for (int k = 0; k < lengths.length; k++) {
        MultiBufferSha256.digestFixed(in[k], 0, lengths[k], count, out, 0);
        for (int i = 0; i < count; i++) {
          assertThat(Arrays.copyOfRange(out, 32 * i, 32 * i + 32))
              .isEqualTo(
                  reference(Arrays.copyOfRange(in[k], i * lengths[k], (i + 1) * lengths[k])));
        }
      }
    }
    assertThat(MultiBufferSha256.constantBlock(58, 1)).isSameAs(accountTail);
    assertThat(MultiBufferSha256.constantBlock(97, 1)).isSameAs(usageTail);
  }

  @Test
  void longMessagesAndTheFipsVectors() throws Exception {
    HexFormat hex = HexFormat.of();
    byte[] abc = "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] out = new byte[32];
    MultiBufferSha256.digestFixed(abc, 0, 3, 1, out, 0);
    assertThat(hex.formatHex(out))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    byte[] two =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    MultiBufferSha256.digestFixed(two, 0, two.length, 1, out, 0);
    assertThat(hex.formatHex(out))
        .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    Random random = new Random(7);
    for (int len : new int[] {1000, 4096, 65_537}) {
      int count = 3;
      byte[] in = new byte[len * count];
      random.nextBytes(in);
      byte[] digests = new byte[32 * count];
      MultiBufferSha256.digestFixed(in, 0, len, count, digests, 0);
      for (int i = 0; i < count; i++) {
        assertThat(Arrays.copyOfRange(digests, 32 * i, 32 * i + 32))
            .isEqualTo(reference(Arrays.copyOfRange(in, i * len, (i + 1) * len)));
      }
    }
  }

  @Test
  void merkleNodesAndLeavesMatchMessageDigest() throws Exception {
    Random random = new Random(6962);
    for (Sha256Engine engine : ENGINES) {
      for (int count = 0; count <= 3 * MultiBufferSha256.LANES + 1; count++) {
        byte[] children = new byte[3 + 64 * count];
        random.nextBytes(children);
        byte[] out = new byte[1 + 32 * count];
        engine.hashNodes(children, 3, count, out, 1);
        byte[] leaves = new byte[32 * count];
        engine.hashLeaves32(children, 3, 2 * count, new byte[64 * count], 0);
        byte[] leafOut = new byte[64 * count];
        engine.hashLeaves32(children, 3, 2 * count, leafOut, 0);
        for (int i = 0; i < count; i++) {
          byte[] left = Arrays.copyOfRange(children, 3 + 64 * i, 3 + 64 * i + 32);
          byte[] right = Arrays.copyOfRange(children, 3 + 64 * i + 32, 3 + 64 * i + 64);
          assertThat(Arrays.copyOfRange(out, 1 + 32 * i, 1 + 32 * i + 32))
              .as("%s node %d of %d", engine.name(), i, count)
              .isEqualTo(reference(new byte[] {1}, left, right));
          assertThat(Arrays.copyOfRange(leafOut, 64 * i, 64 * i + 32))
              .isEqualTo(reference(new byte[] {0}, left));
          assertThat(Arrays.copyOfRange(leafOut, 64 * i + 32, 64 * i + 64))
              .isEqualTo(reference(new byte[] {0}, right));
        }
        assertThat(leaves).hasSize(32 * count);
      }
    }
  }

  @Test
  void templatesKnowWhichScheduleWordsAreConstant() {
    // The second block of a node has 3 constant schedule words; a padding-only block has 48.
    assertThat(MultiBufferSha256.NODE_TAIL.variableScheduleWords()).isEqualTo(45);
    assertThat(new BlockTemplate(0, new int[16]).variableScheduleWords()).isZero();
    assertThat(MultiBufferSha256.LEAF_33.variableScheduleWords()).isEqualTo(48);
  }

  @Test
  void calibrationPicksABatchSizeWithinTheLanes() {
    int min = Sha256Engines.calibrate();
    assertThat(min).isBetween(1, MultiBufferSha256.LANES);
    assertThat(Sha256Engines.simdMinBatch()).isEqualTo(min);
  }
}
