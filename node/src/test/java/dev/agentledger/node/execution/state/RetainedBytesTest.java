package dev.agentledger.node.execution.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SmtStateStore}'s byte bound on retained versions (in memory): the oldest versions are
 * pruned once what the retained ones cost passes the bound, the newest always stays, pruned
 * versions answer {@link PrunedStateException}, and the rest answer like the reference tree.
 */
class RetainedBytesTest {
  private static final long BOUND = 200_000;

  @Test
  void aByteBoundPrunesTheOldestVersionsOnceTheyCostMore() {
    SmtStateStore bounded = SmtStateStore.inMemoryWithin(256, BOUND);
    SmtStateStore unbounded = SmtStateStore.inMemory(256);
    SparseMerkleState reference = new SparseMerkleState();
    List<SparseMerkleState.Snapshot> snapshots = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    Random random = new Random(5);
    for (int v = 0; v < 40; v++) {
      for (int i = 0; i < 50; i++) {
        byte[] key;
        if (keys.size() > 20 && random.nextInt(3) == 0) {
          key = keys.get(random.nextInt(keys.size()));
        } else {
          key = new byte[32];
          random.nextBytes(key);
          keys.add(key);
        }
        byte[] value = {(byte) v, (byte) i, 7};
        bounded.put(key, value);
        unbounded.put(key, value);
        reference.put(key, value);
      }
      assertThat(bounded.root()).isEqualTo(reference.root()).isEqualTo(unbounded.root());
      snapshots.add(reference.snapshot());
      assertThat(bounded.retainedBytes() <= BOUND || bounded.retainedVersionCount() == 1)
          .as(
              "version %d: %d bytes retained in %d versions",
              v, bounded.retainedBytes(), bounded.retainedVersionCount())
          .isTrue();
    }
    assertThat(unbounded.oldestRetainedVersion()).as("the count alone keeps all 40").isZero();
    assertThat(unbounded.retainedBytes()).isGreaterThan(BOUND);
    long oldest = bounded.oldestRetainedVersion();
    assertThat(oldest).as("the byte bound pruned before the count did").isGreaterThan(20);
    assertThat(bounded.retainedVersionCount()).isEqualTo(40 - oldest);
    for (int v = 0; v < 40; v++) {
      long version = v;
      if (v < oldest) {
        assertThatThrownBy(() -> bounded.at(version).get(keys.get(0)))
            .isInstanceOfSatisfying(
                PrunedStateException.class, e -> assertThat(e.horizon()).isEqualTo(oldest));
        continue;
      }
      SmtStateStore.Version got = bounded.at(v);
      assertThat(got.root()).isEqualTo(snapshots.get(v).root());
      for (int k = 0; k < keys.size(); k += 7) {
        byte[] value = got.get(keys.get(k));
        assertThat(value).isEqualTo(snapshots.get(v).get(keys.get(k)));
        assertThat(got.prove(keys.get(k)).verify(got.root(), value)).isTrue();
      }
    }
  }

  @Test
  void prunedVersionsLeaveAtMostAFewSpareDeltasBehind() {
    SmtStateStore state = SmtStateStore.inMemoryWithin(256, BOUND);
    Random random = new Random(13);
    byte[] key = new byte[32];
    for (int v = 0; v < 120; v++) {
      for (int i = 0; i < 300; i++) {
        random.nextBytes(key);
        state.put(key.clone(), new byte[] {(byte) v, (byte) i});
      }
      state.root();
      assertThat(state.heldDeltas())
          .as("version %d: %d retained", v, state.retainedVersionCount())
          .isLessThanOrEqualTo((int) state.retainedVersionCount() + 1 + SmtStateStore.SPARE_DELTAS);
    }
    assertThat(state.oldestRetainedVersion()).as("the byte bound pruned").isGreaterThan(100);
  }

  @Test
  void theLiveStateLivesInNativeMemoryCountedPerKey() {
    SmtStateStore state = SmtStateStore.inMemory(4);
    assertThat(state.keysHeld()).isZero();
    Random random = new Random(17);
    int keys = 3 * LatestValues.PAGE_ENTRIES;
    for (int i = 0; i < keys; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      state.put(key, new byte[] {1, 2, 3});
    }
    state.root();
    assertThat(state.keysHeld()).isEqualTo(keys).isEqualTo(state.keyCount());
    // keys and values (32 + 128 bytes a key) and at least one leaf and node per key (64 + 40)
    assertThat(state.offHeapBytes()).isGreaterThanOrEqualTo((long) keys * (32 + 128 + 64 + 40));
    assertThat(state.offHeapBytes()).isLessThan((long) keys * 1024);
  }

  @Test
  void oneCommitLargerThanTheBoundStaysWhileNewestAndGoesWithTheNext() {
    SmtStateStore state = SmtStateStore.inMemoryWithin(256, BOUND);
    Random random = new Random(9);
    byte[] account = new byte[32];
    random.nextBytes(account);
    for (int v = 0; v < 3; v++) {
      state.put(account, new byte[] {(byte) v});
      state.root();
    }
    for (int i = 0; i < 20_000; i++) {
      byte[] key = new byte[32];
      random.nextBytes(key);
      state.put(key, new byte[] {1, 2, 3});
    }
    state.put(account, new byte[] {9});
    state.root();
    long large = state.latestVersion();
    assertThat(state.retainedBytes())
        .as("at least its before-images")
        .isGreaterThanOrEqualTo(20_000L * VersionDelta.ENTRY_BYTES);
    assertThat(state.oldestRetainedVersion()).as("the newest is always kept").isEqualTo(large);
    assertThat(state.at(large).get(account)).containsExactly(9);
    state.put(account, new byte[] {10});
    state.root();
    assertThat(state.oldestRetainedVersion()).isEqualTo(large + 1);
    assertThat(state.retainedBytes()).isLessThanOrEqualTo(BOUND);
    assertThatThrownBy(() -> state.at(large).get(account)).isInstanceOf(PrunedStateException.class);
    assertThat(state.at(large + 1).get(account)).containsExactly(10);
  }

  @Test
  void theCountBoundStillAppliesUnderALooseByteBound() {
    SmtStateStore state = SmtStateStore.inMemoryWithin(3, 1L << 40);
    byte[] key = new byte[32];
    for (int v = 0; v < 10; v++) {
      key[0] = (byte) v;
      state.put(key, new byte[] {(byte) v});
      state.root();
    }
    assertThat(state.oldestRetainedVersion()).isEqualTo(7);
    assertThat(state.retainedVersionCount()).isEqualTo(3);
  }

  @Test
  void aNegativeBoundIsRefused() {
    assertThatThrownBy(() -> SmtStateStore.inMemoryWithin(4, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative byte bound");
  }
}
