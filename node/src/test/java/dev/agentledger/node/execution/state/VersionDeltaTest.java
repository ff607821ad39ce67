package dev.agentledger.node.execution.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link VersionDelta#sortByKey} (40-bit prefixes sorted as longs, ties by whole key) against a
 * plain sort of the keys: keys that share their first 5 to 32 bytes, duplicated prefixes in runs,
 * and sizes around the insertion-sort cut-off.
 */
class VersionDeltaTest {
  @Property(tries = 60)
  void sortsPositionsInUnsignedKeyOrder(@ForAll long seed, @ForAll @IntRange(max = 600) int n) {
    Random random = new Random(seed);
    LatestValues latest = new LatestValues(16);
    VersionDelta delta = new VersionDelta();
    delta.reset(0);
    byte[][] keys = new byte[n][];
    for (int i = 0; i < n; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      if (i > 0 && random.nextInt(3) == 0) {
        byte[] near = keys[random.nextInt(i)];
        int shared = 5 + random.nextInt(27);
        System.arraycopy(near, 0, key, 0, shared);
        key[shared] = (byte) ~near[shared];
      }
      if (random.nextInt(10) == 0) {
        key[0] = (byte) 0xFF; // top bit set: unsigned order differs from signed
      }
      keys[i] = key;
      delta.add(latest.findOrAdd(key, 0), latest);
    }
    delta.sortByKey(latest);
    byte[][] expected = Arrays.stream(keys).distinct().toArray(byte[][]::new);
    Arrays.sort(expected, Arrays::compareUnsigned);
    byte[][] sorted = new byte[delta.count][];
    for (int i = 0; i < delta.count; i++) {
      int e = delta.entries[delta.order[i]];
      sorted[i] = new byte[32];
      latest.copyKey(e, sorted[i], 0);
    }
    assertThat(sorted).isDeepEqualTo(expected);
  }

  @Property(tries = 30)
  void sortLongsSortsAscending(@ForAll long seed, @ForAll @IntRange(max = 300) int n) {
    Random random = new Random(seed);
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = random.nextInt(4) == 0 ? random.nextInt(5) : random.nextLong();
    }
    long[] expected = a.clone();
    Arrays.sort(expected);
    if (n > 0) {
      VersionDelta.sortLongs(a, 0, n - 1);
    }
    assertThat(a).isEqualTo(expected);
  }
}
