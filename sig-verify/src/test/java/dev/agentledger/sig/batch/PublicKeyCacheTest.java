package dev.agentledger.sig.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.curve25519.ExtendedPoint;
import dev.agentledger.sig.curve25519.NielsPoint;
import dev.agentledger.sig.curve25519.PointOps;
import dev.agentledger.sig.testing.EdgeCases;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The batch verifier's cache of decompressed public keys: repeat keys hit it, keys that are not
 * points never enter it, a small cache evicts and stays bounded, and the verdicts with the cache
 * equal those without it (and the single-mode ones) on batches that repeat keys, valid and not.
 */
class PublicKeyCacheTest {
  private static final List<EdgeCases.Item> EDGE = EdgeCases.vectors();

  /**
   * Items signed by {@code keys} keys (chosen at random; the same keys for the same count), every
   * fifth one with a corrupted signature.
   */
  private static List<EdgeCases.Item> repeatedKeys(int n, int keys, long seed) {
    Random keyRandom = new Random(keys); // the same keys in every call with this many
    byte[][] seeds = new byte[keys][32];
    for (byte[] s : seeds) {
      keyRandom.nextBytes(s);
    }
    Random random = new Random(seed);
    List<EdgeCases.Item> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] s = seeds[random.nextInt(keys)];
      byte[] m = new byte[1 + random.nextInt(100)];
      random.nextBytes(m);
      byte[] sig = Ed25519.sign(s, m);
      boolean bad = random.nextInt(5) == 0;
      if (bad) {
        sig[random.nextInt(32)] ^= 1; // R corrupted: still S < L
      }
      out.add(new EdgeCases.Item("repeat", !bad, Ed25519.publicKey(s), sig, m));
    }
    return out;
  }

  private static boolean[] verify(CpuBatchVerifier verifier, List<EdgeCases.Item> items) {
    SignatureBatch batch = new SignatureBatch(Math.max(1, items.size()));
    for (EdgeCases.Item item : items) {
      batch.add(item.publicKey(), item.signature(), item.message());
    }
    boolean[] verdicts = new boolean[items.size()];
    verifier.verify(batch, verdicts);
    return verdicts;
  }

  /** A 32-byte string that is not the encoding of a curve point. */
  private static byte[] notAPoint() {
    PointOps ops = new PointOps();
    byte[] b = new byte[32];
    for (int k = 2; ; k++) {
      b[0] = (byte) k;
      b[1] = (byte) (k >> 8);
      if (!ops.decompress(new ExtendedPoint(), b, 0)) {
        return b;
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void repeatKeysHitTheCacheAndAgreeWithSingleMode(boolean lanes) {
    CpuBatchVerifier verifier = new CpuBatchVerifier(new SecureRandom(), lanes, 64);
    for (int round = 0; round < 4; round++) {
      List<EdgeCases.Item> items = new ArrayList<>(repeatedKeys(120, 8, round));
      items.addAll(EDGE);
      Collections.shuffle(items, new Random(round));
      BatchAgreementTest.assertAgreement(items, verifier);
    }
    assertThat(verifier.keyCache().hits()).isGreaterThan(300);
  }

  @Test
  void aKeyThatIsNotAPointIsNeverCached() {
    byte[] key = notAPoint();
    byte[] sig = new byte[64];
    byte[] m = {1, 2, 3};
    CpuBatchVerifier verifier = new CpuBatchVerifier(new SecureRandom(), false, 16);
    List<EdgeCases.Item> items = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      items.add(new EdgeCases.Item("not-a-point", false, key, sig, m));
    }
    for (int round = 0; round < 3; round++) {
      BatchAgreementTest.assertAgreement(items, verifier);
    }
    PublicKeyCache cache = verifier.keyCache();
    assertThat(cache.size()).isZero();
    assertThat(cache.hits()).isZero();
    assertThat(cache.misses()).isEqualTo(15);
    assertThat(cache.lookup(key, 0, new NielsPoint())).isFalse();
  }

  @Test
  void aSmallCacheEvictsStaysBoundedAndAgrees() {
    CpuBatchVerifier verifier = new CpuBatchVerifier(new SecureRandom(), false, 4);
    for (int round = 0; round < 6; round++) {
      BatchAgreementTest.assertAgreement(repeatedKeys(90, 40, 100 + round), verifier);
    }
    PublicKeyCache cache = verifier.keyCache();
    assertThat(cache.size()).isLessThanOrEqualTo(4);
    assertThat(cache.evictions()).isGreaterThan(0);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void sameVerdictsWithAndWithoutTheCache(boolean lanes) {
    CpuBatchVerifier cached = new CpuBatchVerifier(new SecureRandom(), lanes, 32);
    CpuBatchVerifier uncached = new CpuBatchVerifier(new SecureRandom(), lanes, 0);
    assertThat(uncached.keyCache()).isNull();
    Random random = new Random(7);
    for (int round = 0; round < 8; round++) {
      List<EdgeCases.Item> items =
          new ArrayList<>(repeatedKeys(1 + random.nextInt(200), 12, round));
      for (int i = 0; i < 20; i++) {
        items.add(EDGE.get(random.nextInt(EDGE.size())));
      }
      Collections.shuffle(items, random);
      assertThat(verify(cached, items)).isEqualTo(verify(uncached, items));
      BatchAgreementTest.assertAgreement(items, cached);
    }
  }

  @Test
  void lookupReturnsTheStoredPointForTheExactKeyOnly() {
    PublicKeyCache cache = new PublicKeyCache(2); // one set: every key competes
    byte[] a = Ed25519.publicKey(new byte[32]);
    byte[] b = a.clone();
    b[31] ^= 0x40;
    NielsPoint p = new NielsPoint();
    new PointOps().nielsFromDecoded(p, decoded(a));
    cache.insert(a, 0, p);
    NielsPoint out = new NielsPoint();
    assertThat(cache.lookup(b, 0, out)).isFalse();
    assertThat(cache.lookup(a, 0, out)).isTrue();
    ExtendedPoint x = new ExtendedPoint();
    ExtendedPoint y = new ExtendedPoint();
    PointOps ops = new PointOps();
    ops.fromNiels(x, out);
    ops.fromNiels(y, p);
    assertThat(ops.equal(x, y)).isTrue();
    assertThatThrows();
  }

  private static ExtendedPoint decoded(byte[] key) {
    ExtendedPoint p = new ExtendedPoint();
    assertThat(new PointOps().decompress(p, key, 0)).isTrue();
    return p;
  }

  private static void assertThatThrows() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PublicKeyCache(3))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PublicKeyCache(1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
