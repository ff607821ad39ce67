package dev.agentledger.sig.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.testing.EdgeCases;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batch verdicts equal single verdicts: on the committed vectors, on shuffled mixes of edge cases
 * and honest items at many batch sizes (Straus and Pippenger paths, bisection with one, several or
 * all items bad), and on a large random corpus.
 */
class BatchAgreementTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final List<EdgeCases.Item> EDGE = EdgeCases.vectors();
  private static final List<EdgeCases.Item> HONEST = honest(400, 7);

  static List<EdgeCases.Item> honest(int n, long seed) {
    Random random = new Random(seed);
    List<EdgeCases.Item> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] s = new byte[32];
      random.nextBytes(s);
      byte[] m = new byte[random.nextInt(200)];
      random.nextBytes(m);
      out.add(new EdgeCases.Item("honest", true, Ed25519.publicKey(s), Ed25519.sign(s, m), m));
    }
    return out;
  }

  static void assertAgreement(List<EdgeCases.Item> items, CpuBatchVerifier verifier) {
    SignatureBatch batch = new SignatureBatch(Math.max(1, items.size()));
    for (EdgeCases.Item item : items) {
      batch.add(item.publicKey(), item.signature(), item.message());
    }
    boolean[] verdicts = new boolean[items.size()];
    int valid = verifier.verify(batch, verdicts);
    int expectedValid = 0;
    for (int i = 0; i < items.size(); i++) {
      EdgeCases.Item item = items.get(i);
      boolean single = Ed25519.verify(item.publicKey(), item.signature(), item.message());
      assertThat(verdicts[i])
          .as(
              "item %d %s %s %s",
              i, item.category(), HEX.formatHex(item.publicKey()), HEX.formatHex(item.signature()))
          .isEqualTo(single)
          .isEqualTo(item.expected());
      expectedValid += single ? 1 : 0;
    }
    assertThat(valid).isEqualTo(expectedValid);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void allEdgeCasesInOneBatch(boolean lanes) {
    assertAgreement(EDGE, new CpuBatchVerifier(new SecureRandom(), lanes));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void honestBatchesOfManySizesPass(boolean lanes) {
    CpuBatchVerifier verifier = new CpuBatchVerifier(new SecureRandom(), lanes);
    for (int n : new int[] {1, 2, 3, 5, 17, 24, 25, 60, 130, 400}) {
      assertAgreement(HONEST.subList(0, n), verifier);
    }
  }

  @Test
  void oneBadItemAnywhereIsFoundExactly() {
    CpuBatchVerifier verifier = new CpuBatchVerifier();
    List<EdgeCases.Item> items = new ArrayList<>(HONEST.subList(0, 100));
    for (int position : new int[] {0, 1, 50, 99}) {
      List<EdgeCases.Item> copy = new ArrayList<>(items);
      EdgeCases.Item good = copy.get(position);
      byte[] sig = good.signature().clone();
      sig[40] ^= 4;
      copy.set(position, new EdgeCases.Item("bad", false, good.publicKey(), sig, good.message()));
      assertAgreement(copy, verifier);
    }
  }

  @Test
  void allBad() {
    List<EdgeCases.Item> bad = new ArrayList<>();
    for (EdgeCases.Item item : HONEST.subList(0, 70)) {
      bad.add(
          new EdgeCases.Item(
              "wrong-message",
              false,
              item.publicKey(),
              item.signature(),
              (HEX.formatHex(item.message()) + "x").getBytes()));
    }
    assertAgreement(bad, new CpuBatchVerifier());
  }

  @Property(tries = 40)
  void shuffledMixesAgree(
      @ForAll @IntRange(min = 1, max = 300) int size,
      @ForAll @IntRange(min = 0, max = 100) int badPercent,
      @ForAll long seed) {
    Random random = new Random(seed);
    List<EdgeCases.Item> items = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      boolean edge = random.nextInt(100) < badPercent;
      List<EdgeCases.Item> source = edge ? EDGE : HONEST;
      items.add(source.get(random.nextInt(source.size())));
    }
    Collections.shuffle(items, random);
    assertAgreement(items, new CpuBatchVerifier(new SecureRandom(), random.nextBoolean()));
  }

  /** 10^5 random mixed valid/invalid items in batches of 1024 (the agreement bar). */
  /** Records the length of every draw, and draws from a real CSPRNG. */
  private static final class DrawLengths extends SecureRandom {
    private static final long serialVersionUID = 1L;
    final List<Integer> lengths = new ArrayList<>();

    @Override
    public void nextBytes(byte[] bytes) {
      lengths.add(bytes.length);
      super.nextBytes(bytes);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 64, 65, 130})
  void drawsSixteenBytesASignatureRoundedToAPowerOfTwoPerChunkOf64(int n) {
    DrawLengths random = new DrawLengths();
    assertAgreement(HONEST.subList(0, n), new CpuBatchVerifier(random));
    List<Integer> expected = new ArrayList<>();
    for (int left = n; left > 0; left -= 64) {
      expected.add(16 * Integer.highestOneBit(2 * Math.min(64, left) - 1));
    }
    assertThat(random.lengths).isEqualTo(expected);
  }

  @Test
  @Tag("slow")
  void hundredThousandRandomItems() {
    agreeOnRandomCorpus(100_000, 1024);
  }

  @Test
  void fiveThousandRandomItems() {
    agreeOnRandomCorpus(5_000, 512);
  }

  private static void agreeOnRandomCorpus(int total, int batchSize) {
    Random random = new Random(100_000);
    CpuBatchVerifier verifier = new CpuBatchVerifier();
    List<EdgeCases.Item> keys = honest(64, 11);
    for (int done = 0; done < total; done += batchSize) {
      List<EdgeCases.Item> items = new ArrayList<>();
      for (int i = 0; i < Math.min(batchSize, total - done); i++) {
        int kind = random.nextInt(100);
        if (kind < 3) {
          items.add(EDGE.get(random.nextInt(EDGE.size())));
          continue;
        }
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        byte[] m = new byte[16];
        random.nextBytes(m);
        byte[] pk = Ed25519.publicKey(seed);
        byte[] sig = Ed25519.sign(seed, m);
        if (kind < 6) {
          sig[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
        } else if (kind < 8) {
          pk = keys.get(random.nextInt(keys.size())).publicKey();
        } else if (kind < 10) {
          m[0] ^= 1;
        }
        items.add(new EdgeCases.Item("random", Ed25519.verify(pk, sig, m), pk, sig, m));
      }
      assertAgreement(items, verifier);
    }
  }
}
