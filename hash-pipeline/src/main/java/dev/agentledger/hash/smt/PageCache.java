package dev.agentledger.hash.smt;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A bounded set of resident pages over a larger paged memory: the state's native pages (tree
 * hashes, links and leaves, the newest values' keys and values) are {@link Space}s of fixed-size
 * pages ({@link #PAGE_BYTES}), and at most {@link #frameLimit} of them are held in native frames at
 * a time. The others live in a {@link Backing} (RocksDB in a node): a page not resident is brought
 * back with one read when it is touched, into the frame of a page evicted by the CLOCK rule (second
 * chance: a touched frame's reference bit spares it once per sweep). A clean page is evicted by
 * forgetting it; a dirty one is written to the backing first. A page never written to the backing
 * starts zeroed.
 *
 * <p>The backing holds this process's page images only (a swap): the durable state is what the
 * state store logs and checkpoints, from which it is rebuilt at start, so page images need no
 * atomicity with commits and stale images from an earlier process are never read (a page is read
 * back only if written in this process).
 *
 * <p>An accessor returns the frame of one page; it is valid until the next accessor call on the
 * same cache (which may evict it), so a caller that needs two pages at once copies out of the
 * first. Without a backing the cache is unbounded (every page stays resident). One writer; callers
 * synchronize.
 */
public final class PageCache {
  /** Bytes of every page and frame. */
  public static final int PAGE_BYTES = 16 * 1024;

  /** Where evicted pages go and come back from. */
  public interface Backing {
    /** Fills {@code frame} with the image of {@code pageId} that {@link #store} wrote. */
    void load(long pageId, MemorySegment frame);

    /** Keeps the image of {@code pageId} ({@code frame}'s bytes, read during the call). */
    void store(long pageId, MemorySegment frame);
  }

  private final Arena memory = Arena.ofAuto();
  private final Backing backing;
  private final int frameLimit;
  private MemorySegment[] frames = new MemorySegment[64];
  private Space[] frameSpace = new Space[64];
  private int[] framePage = new int[64];
  private boolean[] frameDirty = new boolean[64];
  private boolean[] frameReferenced = new boolean[64];
  private int frameCount;
  private int hand;
  private int spaces;
  private long reads;
  private long writes;
  private long evictions;

  private PageCache(Backing backing, int frameLimit) {
    if (frameLimit < 1) {
      throw new IllegalArgumentException("a page cache needs at least one frame: " + frameLimit);
    }
    this.backing = backing;
    this.frameLimit = frameLimit;
  }

  /** A cache that never evicts (state held in memory only). */
  public static PageCache unbounded() {
    return new PageCache(null, Integer.MAX_VALUE);
  }

  /** A cache of at most {@code budgetBytes} of frames (at least one) over {@code backing}. */
  public static PageCache bounded(Backing backing, long budgetBytes) {
    if (backing == null) {
      throw new IllegalArgumentException("a bounded page cache needs a backing");
    }
    if (budgetBytes < PAGE_BYTES) {
      throw new IllegalArgumentException(
          "a page cache of " + budgetBytes + " bytes holds no page of " + PAGE_BYTES);
    }
    return new PageCache(backing, (int) Math.min(Integer.MAX_VALUE - 8, budgetBytes / PAGE_BYTES));
  }

  /** A new paged space of this cache (an array of pages numbered from 0). */
  public Space newSpace() {
    return new Space(spaces++);
  }

  /** Frames at most ({@link Integer#MAX_VALUE} when unbounded). */
  public int frameLimit() {
    return frameLimit;
  }

  /** Native memory of the frames held now, in bytes. */
  public long residentBytes() {
    return (long) frameCount * PAGE_BYTES;
  }

  /** Pages read back from the backing so far. */
  public long reads() {
    return reads;
  }

  /** Page images written to the backing so far (dirty pages evicted). */
  public long writes() {
    return writes;
  }

  /** Pages evicted so far (clean or dirty). */
  public long evictions() {
    return evictions;
  }

  /** The frame for page {@code page} of {@code space}, brought in (evicting one) when needed. */
  private int fault(Space space, int page) {
    int f;
    if (frameCount < frameLimit) {
      f = frameCount++;
      if (f == frames.length) {
        int n = 2 * f;
        frames = Arrays.copyOf(frames, n);
        frameSpace = Arrays.copyOf(frameSpace, n);
        framePage = Arrays.copyOf(framePage, n);
        frameDirty = Arrays.copyOf(frameDirty, n);
        frameReferenced = Arrays.copyOf(frameReferenced, n);
      }
      frames[f] = memory.allocate(PAGE_BYTES, Long.BYTES);
    } else {
      f = victim();
      Space owner = frameSpace[f];
      int ownerPage = framePage[f];
      if (frameDirty[f]) {
        backing.store(owner.pageId(ownerPage), frames[f]);
        owner.stored[ownerPage >>> 6] |= 1L << ownerPage;
        writes++;
      }
      owner.frameOf[ownerPage] = -1;
      evictions++;
      frames[f].fill((byte) 0);
    }
    if (space.isStored(page)) {
      backing.load(space.pageId(page), frames[f]);
      reads++;
    }
    frameSpace[f] = space;
    framePage[f] = page;
    frameDirty[f] = false;
    frameReferenced[f] = true;
    space.frameOf[page] = f;
    return f;
  }

  /** The CLOCK hand's next frame without its reference bit (clearing the bits it passes). */
  private int victim() {
    while (true) {
      int f = hand;
      hand = hand + 1 == frameCount ? 0 : hand + 1;
      if (frameReferenced[f]) {
        frameReferenced[f] = false;
      } else {
        return f;
      }
    }
  }

  /**
   * One array of pages in a {@link PageCache}: page {@code p} of the space is resident in a frame
   * or stored in the backing (or, never written, zero).
   */
  public final class Space {
    private final int id;
    private int[] frameOf = new int[16];
    private long[] stored = new long[1];
    private int pages;

    private Space(int id) {
      this.id = id;
      Arrays.fill(frameOf, -1);
    }

    /** Pages in this space. */
    public int pages() {
      return pages;
    }

    /** Adds a page (zero until written); returns its number. */
    public int addPage() {
      if (pages == frameOf.length) {
        int n = 2 * pages;
        frameOf = Arrays.copyOf(frameOf, n);
        Arrays.fill(frameOf, pages, n, -1);
      }
      if ((pages >>> 6) == stored.length) {
        stored = Arrays.copyOf(stored, 2 * stored.length);
      }
      return pages++;
    }

    /** Page {@code page} to read (valid until the cache's next accessor call). */
    public MemorySegment read(int page) {
      int f = frameOf[page];
      if (f < 0) {
        f = fault(this, page);
      } else {
        frameReferenced[f] = true;
      }
      return frames[f];
    }

    /** Page {@code page} to write (marked dirty; valid until the cache's next accessor call). */
    public MemorySegment write(int page) {
      int f = frameOf[page];
      if (f < 0) {
        f = fault(this, page);
      } else {
        frameReferenced[f] = true;
      }
      frameDirty[f] = true;
      return frames[f];
    }

    /** The backing's id of page {@code page}: this space's number and the page's. */
    long pageId(int page) {
      return (long) id << 32 | page;
    }

    private boolean isStored(int page) {
      return (stored[page >>> 6] & 1L << page) != 0;
    }
  }
}
