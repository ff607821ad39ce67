package dev.agentledger.node.execution.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LatestValues} growing from a small table over several pages of keys and values: every
 * entry keeps its key and value, and lookups find it after each growth.
 */
class LatestValuesTest {

  @Test
  void entriesSurviveGrowthAcrossPages() {
    LatestValues latest = new LatestValues(16);
    int n = 2 * LatestValues.PAGE_ENTRIES + 123;
    byte[][] keys = new byte[n][32];
    Random random = new Random(3);
    for (int i = 0; i < n; i++) {
      random.nextBytes(keys[i]);
      int e = latest.findOrAdd(keys[i], 0);
      assertThat(e).isEqualTo(i);
      byte[] value = {(byte) i, (byte) (i >>> 8), 7};
      latest.set(e, value, 0, i % 5 == 0 ? -1 : value.length);
    }
    assertThat(latest.size()).isEqualTo(n);
    byte[] out = new byte[LatestValues.MAX_VALUE_BYTES];
    for (int i = 0; i < n; i++) {
      int e = latest.find(keys[i], 0);
      assertThat(e).isEqualTo(i);
      assertThat(latest.compareKey(e, keys[i], 0)).isZero();
      if (i % 5 == 0) {
        assertThat(latest.value(e)).isNull();
        assertThat(latest.copy(e, out)).isEqualTo(-1);
      } else {
        assertThat(latest.value(e)).containsExactly((byte) i, (byte) (i >>> 8), (byte) 7);
      }
    }
    byte[] absent = new byte[32];
    random.nextBytes(absent);
    assertThat(latest.find(absent, 0)).isEqualTo(-1);
  }

  @Test
  void touchingKeysPresentAbsentOrNotKeysChangesNothing() {
    LatestValues latest = new LatestValues(16);
    int n = LatestValues.PAGE_ENTRIES + 77;
    Random random = new Random(5);
    byte[] keys = new byte[32 * (n + 40)]; // n present keys, then 40 random (absent) ones
    random.nextBytes(keys);
    for (int i = 0; i < n; i++) {
      latest.set(latest.findOrAdd(keys, 32 * i), new byte[] {(byte) i}, 0, i % 3 == 0 ? -1 : 1);
    }
    latest.touch(keys, 0, n + 40);
    latest.touch(keys, 5, n); // keys at odd offsets: bytes that are no key
    latest.touch(keys, 0, 0);
    assertThat(latest.size()).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      int e = latest.find(keys, 32 * i);
      assertThat(e).isEqualTo(i);
      assertThat(latest.value(e)).isEqualTo(i % 3 == 0 ? null : new byte[] {(byte) i});
    }
    for (int i = n; i < n + 40; i++) {
      assertThat(latest.find(keys, 32 * i)).isEqualTo(-1);
    }
  }
}
