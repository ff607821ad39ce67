package dev.agentledger.hash.smt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PageCache}: the CLOCK rule, dirty pages written once when evicted and clean ones not at
 * all, a page never written reading zero; and the arena tree over a bounded cache (one page, a few
 * pages) giving the roots and proofs of the tree held wholly in memory, through growth, removals
 * and pruning.
 */
class PageCacheTest {
  /** Page images in a map, with the reads and writes counted. */
  static final class InMemoryBacking implements PageCache.Backing {
    final Map<Long, byte[]> pages = new HashMap<>();
    int loads;
    int stores;

    @Override
    public void load(long pageId, MemorySegment frame) {
      loads++;
      MemorySegment.copy(
          pages.get(pageId), 0, frame, ValueLayout.JAVA_BYTE, 0, PageCache.PAGE_BYTES);
    }

    @Override
    public void store(long pageId, MemorySegment frame) {
      stores++;
      pages.put(pageId, frame.toArray(ValueLayout.JAVA_BYTE));
    }
  }

  @Test
  void dirtyPagesGoOutOnceCleanOnesAreDroppedAndANewPageReadsZero() {
    InMemoryBacking backing = new InMemoryBacking();
    PageCache cache = PageCache.bounded(backing, 2L * PageCache.PAGE_BYTES);
    PageCache.Space space = cache.newSpace();
    for (int p = 0; p < 4; p++) {
      space.addPage();
    }
    space.write(0).set(ValueLayout.JAVA_INT, 0, 10);
    space.write(1).set(ValueLayout.JAVA_INT, 0, 11);
    assertThat(cache.residentBytes()).isEqualTo(2L * PageCache.PAGE_BYTES);
    // both frames referenced: the hand clears both bits, then evicts page 0 (dirty: written)
    assertThat(space.read(2).get(ValueLayout.JAVA_INT, 0)).isZero();
    assertThat(backing.pages).containsOnlyKeys(space.pageId(0));
    // page 1's bit is clear now: it goes next (dirty: written)
    assertThat(space.read(3).get(ValueLayout.JAVA_INT, 0)).isZero();
    assertThat(backing.stores).isEqualTo(2);
    // pages 2 and 3 were only read: evicting them writes nothing
    assertThat(space.read(0).get(ValueLayout.JAVA_INT, 0)).isEqualTo(10);
    assertThat(space.read(1).get(ValueLayout.JAVA_INT, 0)).isEqualTo(11);
    assertThat(backing.stores).isEqualTo(2);
    assertThat(backing.loads).isEqualTo(2);
    // read back, not written since: clean, so evicting them again writes nothing either
    space.read(2);
    space.read(3);
    assertThat(backing.stores).isEqualTo(2);
    assertThat(cache.reads()).isEqualTo(backing.loads);
    assertThat(cache.writes()).isEqualTo(backing.stores);
    assertThat(cache.evictions()).isEqualTo(6);
    assertThat(cache.residentBytes()).isEqualTo(2L * PageCache.PAGE_BYTES);
  }

  /**
   * The address accessors: pages of three spaces spread over several slabs (unbounded) or moving
   * through three frames (bounded) keep what was written at their addresses, read back at the
   * address and through the page's segment alike; a bounded cache never allocates more frames than
   * its bound.
   */
  @Test
  void pagesWrittenAtAddressesReadBackAcrossSlabsAndEvictions() {
    for (boolean bounded : new boolean[] {false, true}) {
      InMemoryBacking backing = new InMemoryBacking();
      PageCache cache =
          bounded ? PageCache.bounded(backing, 3L * PageCache.PAGE_BYTES) : PageCache.unbounded();
      PageCache.Space[] spaces = {cache.newSpace(), cache.newSpace(), cache.newSpace()};
      int pages = 70;
      byte[] bytes = new byte[45];
      for (int p = 0; p < pages; p++) {
        for (PageCache.Space space : spaces) {
          assertThat(space.addPage()).isEqualTo(p);
        }
      }
      for (int p = 0; p < pages; p++) {
        for (int s = 0; s < spaces.length; s++) {
          long a = spaces[s].writeAddress(p);
          PageCache.setInt(a, 1000 * s + p);
          PageCache.setInt(a + PageCache.PAGE_BYTES - 4, -p);
          Arrays.fill(bytes, (byte) (p + s));
          PageCache.copyIn(bytes, 0, a + 100, bytes.length);
        }
      }
      byte[] out = new byte[bytes.length];
      for (int p = pages - 1; p >= 0; p--) {
        for (int s = 0; s < spaces.length; s++) {
          long a = spaces[s].readAddress(p);
          assertThat(PageCache.getInt(a)).isEqualTo(1000 * s + p);
          assertThat(PageCache.getInt(a + PageCache.PAGE_BYTES - 4)).isEqualTo(-p);
          PageCache.copyOut(a + 100, out, 0, out.length);
          Arrays.fill(bytes, (byte) (p + s));
          assertThat(out).isEqualTo(bytes);
          assertThat(PageCache.equals32(a + 100, bytes, 0)).isTrue();
          assertThat(spaces[s].read(p).get(ValueLayout.JAVA_INT, 0)).isEqualTo(1000 * s + p);
        }
      }
      if (bounded) {
        assertThat(cache.residentBytes()).isEqualTo(3L * PageCache.PAGE_BYTES);
        assertThat(backing.stores).isPositive();
        assertThat(cache.reads()).isEqualTo(backing.loads).isPositive();
      } else {
        assertThat(cache.residentBytes()).isGreaterThanOrEqualTo(3L * pages * PageCache.PAGE_BYTES);
        assertThat(cache.evictions()).isZero();
      }
    }
  }

  @Test
  void framesOfLargeSlabsStartZeroAndHoldTheirOwnBytes() {
    PageCache cache = PageCache.unbounded();
    PageCache.Space space = cache.newSpace();
    int pages = 600; // slabs of 16, 16, 32, 64, 128 and 256 frames, then part of one of 512
    MemorySegment zero = MemorySegment.ofArray(new byte[PageCache.PAGE_BYTES]);
    for (int p = 0; p < pages; p++) {
      space.addPage();
      assertThat(space.read(p).byteSize()).isEqualTo(PageCache.PAGE_BYTES);
      assertThat(space.read(p).mismatch(zero)).as("page %d before any write", p).isEqualTo(-1);
    }
    for (int p = 0; p < pages; p++) {
      long a = space.writeAddress(p);
      for (int o = 0; o < PageCache.PAGE_BYTES; o += 4) {
        PageCache.setInt(a + o, p * PageCache.PAGE_BYTES + o);
      }
    }
    assertThat(cache.residentBytes()).isGreaterThanOrEqualTo((long) pages * PageCache.PAGE_BYTES);
    for (int p = 0; p < pages; p++) {
      long a = space.readAddress(p);
      for (int o = 0; o < PageCache.PAGE_BYTES; o += 4) {
        if (PageCache.getInt(a + o) != p * PageCache.PAGE_BYTES + o) {
          assertThat(PageCache.getInt(a + o))
              .as("page %d at %d", p, o)
              .isEqualTo(p * PageCache.PAGE_BYTES + o);
        }
      }
    }
  }

  @Test
  void aBoundNeedsABackingAndRoomForAPage() {
    assertThatThrownBy(() -> PageCache.bounded(null, 1 << 20))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PageCache.bounded(new InMemoryBacking(), PageCache.PAGE_BYTES - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds no page");
  }

  @Test
  void aTreeInOneOrAFewPagesHasTheRootsAndProofsOfTheTreeInMemory() {
    for (int frames : new int[] {1, 3}) {
      InMemoryBacking backing = new InMemoryBacking();
      ArenaSparseMerkleTree paged =
          new ArenaSparseMerkleTree(
              PageCache.bounded(backing, (long) frames * PageCache.PAGE_BYTES));
      ArenaSparseMerkleTree memory = new ArenaSparseMerkleTree(16);
      Random random = new Random(31 + frames);
      List<byte[]> known = new ArrayList<>();
      for (int version = 0; version < 30; version++) {
        int size = version % 5 == 0 ? 1500 : 1 + random.nextInt(40);
        java.util.TreeMap<byte[], Boolean> batch = new java.util.TreeMap<>(Arrays::compareUnsigned);
        while (batch.size() < size) {
          if (!known.isEmpty() && random.nextInt(3) == 0) {
            batch.put(known.get(random.nextInt(known.size())), random.nextInt(4) == 0);
          } else {
            byte[] key = new byte[32];
            random.nextBytes(key);
            known.add(key);
            batch.put(key, false);
          }
        }
        int n = batch.size();
        byte[] keys = new byte[32 * n];
        byte[] hashes = new byte[32 * n];
        boolean[] removed = new boolean[n];
        int i = 0;
        for (Map.Entry<byte[], Boolean> e : batch.entrySet()) {
          System.arraycopy(e.getKey(), 0, keys, 32 * i, 32);
          for (int b = 0; b < 32; b++) {
            hashes[32 * i + b] = (byte) random.nextInt();
          }
          removed[i++] = e.getValue();
        }
        assertThat(paged.update(keys, hashes, removed, n)).isEqualTo(version);
        memory.update(keys, hashes, removed, n);
        assertThat(paged.root(version)).isEqualTo(memory.root(version));
        if (version >= 4) {
          paged.prune(version - 3);
          memory.prune(version - 3);
        }
        for (int p = 0; p < 8; p++) {
          byte[] key = known.get(random.nextInt(known.size()));
          long v = Math.max(paged.oldestVersion(), version - random.nextInt(3));
          SmtProof a = paged.prove(v, key);
          SmtProof b = memory.prove(v, key);
          assertThat(a.siblings()).usingRecursiveComparison().isEqualTo(b.siblings());
          assertThat(a.leafKey()).isEqualTo(b.leafKey());
          assertThat(a.leafValueHash()).isEqualTo(b.leafValueHash());
        }
      }
      assertThat(backing.stores).as(frames + " frames").isPositive();
      assertThat(backing.loads).as(frames + " frames").isPositive();
      assertThat(paged.offHeapBytes()).isEqualTo(memory.offHeapBytes());
    }
  }
}
