package dev.agentledger.hash.smt;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * A bounded set of resident pages over a larger paged memory: the state's native pages (tree
 * hashes, links and leaves, the newest values' keys and values) are {@link Space}s of fixed-size
 * pages ({@link #PAGE_BYTES}), and at most {@link #frameLimit} of them are held in native frames at
 * a time. The others live in a {@link Backing} (RocksDB in a node): a page not resident is brought
 * back with one read when it is touched, into the frame of a page evicted by the CLOCK rule (second
 * chance: a touched page's reference bit spares it once per sweep). A clean page is evicted by
 * forgetting it; a dirty one is written to the backing first. A page never written to the backing
 * starts zeroed.
 *
 * <p>Frames are carved out of a few large native slabs (the first of 16 frames, each next one twice
 * the last up to 1,024 frames, 16 MiB, never more in all than the bound), zero until written and
 * never freed while the cache lives; an evicted page's frame is reused for the next one. On Linux a
 * slab is an anonymous private mapping ({@code mmap}, unmapped when the cache is collected) whose 2
 * MiB-aligned part is advised as huge pages ({@code madvise(MADV_HUGEPAGE)}) before anything
 * touches it: pages are touched at random, and with 4 KiB pages nearly every access to a large
 * state also missed the TLB; and the kernel zeroes each page once, at its first touch, where an
 * arena allocation is zeroed by the JVM as it is made (a 4 KiB fault per page, then dropped again
 * for the huge pages: about 60 ms of the allocating thread per 16 MiB slab on the development
 * machine, against a few ms). Such slabs are outside the JVM's direct memory (not counted against
 * {@code -XX:MaxDirectMemorySize}); the cache's bound is what limits them. Elsewhere, or where the
 * mapping fails, a slab comes from an automatic arena (zeroed, counted as direct memory), its
 * aligned part advised the same way ({@code MADV_HUGEPAGE}, then {@code MADV_DONTNEED} so that the
 * zeroed 4 KiB pages go and the first touch faults in 2 MiB ones) where the call exists. The hot
 * accessors are addresses: {@link Space#readAddress} and {@link Space#writeAddress} return the raw
 * native address of a page's frame (one array load when resident), and the static accessors ({@link
 * #getInt}, {@link #copyOut}, ...) read and write at an address through one segment over all native
 * memory, so an access makes no object and checks no per-page segment. {@link Space#read} and
 * {@link Space#write} give the same frame as a segment (made once per frame), for callers off the
 * hot path.
 *
 * <p>The backing holds this process's page images only (a swap): the durable state is what the
 * state store logs and checkpoints, from which it is rebuilt at start, so page images need no
 * atomicity with commits and stale images from an earlier process are never read (a page is read
 * back only if written in this process).
 *
 * <p>An accessor's address or segment is valid until the next accessor call on the same cache
 * (which may evict its page), so a caller that needs two pages at once copies out of the first.
 * Without a backing the cache is unbounded (every page stays resident). One writer; callers
 * synchronize.
 */
public final class PageCache {
  /** Bytes of every page and frame. */
  public static final int PAGE_BYTES = 16 * 1024;

  private static final int FIRST_SLAB_FRAMES = 16;
  private static final int MAX_SLAB_FRAMES = 1024;

  /**
   * All native memory as one segment: accesses at raw frame addresses check only that the address
   * is below {@link Long#MAX_VALUE}; the slabs that own the memory are held by the cache.
   */
  private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
  private static final ValueLayout.OfLong LONG_BIG_ENDIAN =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final VarHandle ARRAY_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

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
  private MemorySegment[] slabs = new MemorySegment[8];
  private int slabCount;

  /** Frames carved out of the slabs so far (in use or ready). */
  private int framesAllocated;

  private MemorySegment[] frames = new MemorySegment[64];
  private long[] frameAddress = new long[64];
  private Space[] frameSpace = new Space[64];
  private int[] framePage = new int[64];
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

  /**
   * Native memory of the frames allocated now, in bytes: the frames holding pages and those of the
   * newest slab not used yet (never more than the bound).
   */
  public long residentBytes() {
    return (long) framesAllocated * PAGE_BYTES;
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

  // ---- access at raw addresses (from Space.readAddress / writeAddress).

  /** The int (native order) at {@code address}. */
  public static int getInt(long address) {
    return NATIVE.get(INT, address);
  }

  /** Sets the int (native order) at {@code address}. */
  public static void setInt(long address, int value) {
    NATIVE.set(INT, address, value);
  }

  /** The eight bytes at {@code address} as a big-endian long (their unsigned order). */
  public static long getLongBigEndian(long address) {
    return NATIVE.get(LONG_BIG_ENDIAN, address);
  }

  /** Copies {@code length} bytes at {@code address} into {@code out} from {@code offset}. */
  public static void copyOut(long address, byte[] out, int offset, int length) {
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      ARRAY_LONG.set(out, offset + i, NATIVE.get(LONG, address + i));
    }
    for (; i < length; i++) {
      out[offset + i] = NATIVE.get(ValueLayout.JAVA_BYTE, address + i);
    }
  }

  /** Copies {@code in[offset, offset + length)} to {@code address}. */
  public static void copyIn(byte[] in, int offset, long address, int length) {
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      NATIVE.set(LONG, address + i, (long) ARRAY_LONG.get(in, offset + i));
    }
    for (; i < length; i++) {
      NATIVE.set(ValueLayout.JAVA_BYTE, address + i, in[offset + i]);
    }
  }

  /** Whether the 32 bytes at {@code address} equal {@code key[offset, offset + 32)}. */
  public static boolean equals32(long address, byte[] key, int offset) {
    return NATIVE.get(LONG, address) == (long) ARRAY_LONG.get(key, offset)
        && NATIVE.get(LONG, address + 8) == (long) ARRAY_LONG.get(key, offset + 8)
        && NATIVE.get(LONG, address + 16) == (long) ARRAY_LONG.get(key, offset + 16)
        && NATIVE.get(LONG, address + 24) == (long) ARRAY_LONG.get(key, offset + 24);
  }

  // ---- frames.

  /** The frame for page {@code page} of {@code space}, brought in (evicting one) when needed. */
  private int fault(Space space, int page) {
    int f;
    if (frameCount < frameLimit) {
      if (frameCount == framesAllocated) {
        addSlab();
      }
      f = frameCount++;
    } else {
      f = victim();
      Space owner = frameSpace[f];
      int ownerPage = framePage[f];
      if (owner.dirty[ownerPage]) {
        backing.store(owner.pageId(ownerPage), frames[f]);
        owner.stored[ownerPage >>> 6] |= 1L << ownerPage;
        owner.dirty[ownerPage] = false;
        writes++;
      }
      owner.address[ownerPage] = 0;
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
    space.frameOf[page] = f;
    space.address[page] = frameAddress[f];
    space.referenced[page] = true;
    space.dirty[page] = false;
    return f;
  }

  /** Allocates the next slab (zeroed) and carves it into frames. */
  private void addSlab() {
    int count =
        (int)
            Math.min(
                (long) frameLimit - framesAllocated,
                Math.min(MAX_SLAB_FRAMES, Math.max(FIRST_SLAB_FRAMES, framesAllocated)));
    MemorySegment slab = mapSlab((long) count * PAGE_BYTES);
    if (slab == null) {
      slab = memory.allocate((long) count * PAGE_BYTES, 4096);
      adviseHugePages(slab);
    }
    if (slabCount == slabs.length) {
      slabs = Arrays.copyOf(slabs, 2 * slabCount);
    }
    slabs[slabCount++] = slab;
    int n = framesAllocated + count;
    if (n > frames.length) {
      int size = Math.max(n, 2 * frames.length);
      frames = Arrays.copyOf(frames, size);
      frameAddress = Arrays.copyOf(frameAddress, size);
      frameSpace = Arrays.copyOf(frameSpace, size);
      framePage = Arrays.copyOf(framePage, size);
    }
    for (int i = 0; i < count; i++) {
      MemorySegment frame = slab.asSlice((long) i * PAGE_BYTES, PAGE_BYTES);
      frames[framesAllocated + i] = frame;
      frameAddress[framesAllocated + i] = frame.address();
    }
    framesAllocated = n;
  }

  private static final long HUGE_PAGE = 2L << 20;
  private static final int MADV_DONTNEED = 4;
  private static final int MADV_HUGEPAGE = 14;

  private static final int PROT_READ_WRITE = 0x1 | 0x2;

  /**
   * {@code MAP_PRIVATE | MAP_ANONYMOUS}, without {@code MAP_NORESERVE}: a slab is committed memory
   * within the cache's bound, so the kernel accounts for it when it is mapped (under strict
   * overcommit a refusal is a failed mapping, and the arena path follows) rather than failing a
   * later page touch.
   */
  private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;

  /** Whether the flags above are this architecture's (x86-64 and AArch64 Linux share them). */
  private static final boolean GENERIC_MMAP_FLAGS =
      switch (System.getProperty("os.arch", "")) {
        case "amd64", "x86_64", "aarch64" -> true;
        default -> false;
      };

  /** {@code int madvise(void *addr, size_t length, int advice)}, or null off Linux. */
  private static final MethodHandle MADVISE =
      linuxCall(
          "madvise",
          FunctionDescriptor.of(
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_LONG,
              ValueLayout.JAVA_LONG,
              ValueLayout.JAVA_INT));

  /**
   * {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)}, or
   * null off Linux.
   */
  private static final MethodHandle MMAP =
      linuxCall(
          "mmap",
          FunctionDescriptor.of(
              ValueLayout.JAVA_LONG,
              ValueLayout.JAVA_LONG,
              ValueLayout.JAVA_LONG,
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_INT,
              ValueLayout.JAVA_LONG));

  /** {@code int munmap(void *addr, size_t length)}, or null off Linux. */
  private static final MethodHandle MUNMAP =
      linuxCall(
          "munmap",
          FunctionDescriptor.of(
              ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));

  private static MethodHandle linuxCall(String name, FunctionDescriptor descriptor) {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
      return null;
    }
    try {
      Linker linker = Linker.nativeLinker();
      return linker
          .defaultLookup()
          .find(name)
          .map(symbol -> linker.downcallHandle(symbol, descriptor))
          .orElse(null);
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  /**
   * A slab of {@code bytes} mapped anonymous and private ({@code mmap}), zero until written, its 2
   * MiB-aligned part advised as huge pages before anything touches it; unmapped when the cache's
   * arena is collected. Null where the calls are unavailable or the mapping fails (the caller
   * allocates from the arena instead). The kernel zeroes each page at its first touch, once: an
   * arena allocation is zeroed by the JVM when made, which touches every page (a fault each, 4 KiB
   * pages, as the advice comes after), and the advice then has to drop them to get huge ones.
   */
  private MemorySegment mapSlab(long bytes) {
    if (MMAP == null || MUNMAP == null || MADVISE == null || !GENERIC_MMAP_FLAGS) {
      return null;
    }
    long length = bytes >= HUGE_PAGE ? bytes + HUGE_PAGE : bytes;
    long base;
    try {
      base = (long) MMAP.invokeExact(0L, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
    } catch (Throwable e) {
      return null;
    }
    if (base == -1L || base == 0L) {
      return null;
    }
    long start = bytes >= HUGE_PAGE ? (base + HUGE_PAGE - 1) & -HUGE_PAGE : base;
    long huge = bytes & -HUGE_PAGE;
    if (huge > 0) {
      try {
        int rc = (int) MADVISE.invokeExact(start, huge, MADV_HUGEPAGE);
      } catch (Throwable e) {
        // advice only: the slab is usable as it is
      }
    }
    return MemorySegment.ofAddress(start).reinterpret(bytes, memory, slab -> unmap(base, length));
  }

  private static void unmap(long base, long length) {
    try {
      int rc = (int) MUNMAP.invokeExact(base, length);
    } catch (Throwable e) {
      // the process keeps the mapping: nothing else to do at collection
    }
  }

  /**
   * Asks for huge pages over the 2 MiB-aligned part of a freshly allocated, zeroed {@code slab}
   * (its contents are still all zeros, so dropping its pages changes nothing that is read).
   */
  private static void adviseHugePages(MemorySegment slab) {
    if (MADVISE == null) {
      return;
    }
    long start = (slab.address() + HUGE_PAGE - 1) & -HUGE_PAGE;
    long end = (slab.address() + slab.byteSize()) & -HUGE_PAGE;
    if (end <= start) {
      return;
    }
    try {
      int rc = (int) MADVISE.invokeExact(start, end - start, MADV_HUGEPAGE);
      if (rc == 0) {
        rc = (int) MADVISE.invokeExact(start, end - start, MADV_DONTNEED);
      }
    } catch (Throwable e) {
      // advice only: the slab is usable as it is
    }
  }

  /** The CLOCK hand's next frame whose page has no reference bit (clearing the bits it passes). */
  private int victim() {
    while (true) {
      int f = hand;
      hand = hand + 1 == frameCount ? 0 : hand + 1;
      Space owner = frameSpace[f];
      int page = framePage[f];
      if (owner.referenced[page]) {
        owner.referenced[page] = false;
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

    /** Each page's frame address, 0 when not resident. */
    private long[] address = new long[16];

    private int[] frameOf = new int[16];
    private boolean[] referenced = new boolean[16];
    private boolean[] dirty = new boolean[16];
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
        address = Arrays.copyOf(address, n);
        frameOf = Arrays.copyOf(frameOf, n);
        Arrays.fill(frameOf, pages, n, -1);
        referenced = Arrays.copyOf(referenced, n);
        dirty = Arrays.copyOf(dirty, n);
      }
      if ((pages >>> 6) == stored.length) {
        stored = Arrays.copyOf(stored, 2 * stored.length);
      }
      return pages++;
    }

    /**
     * The native address of page {@code page}'s frame, to read (valid until the cache's next
     * accessor call): one array load when resident.
     */
    public long readAddress(int page) {
      long a = address[page];
      if (a == 0) {
        int f = fault(this, page); // before reading the field: a fault may grow the frame arrays
        return frameAddress[f];
      }
      referenced[page] = true;
      return a;
    }

    /**
     * The native address of page {@code page}'s frame when it is resident, else 0: no fault, no
     * reference bit (for loads issued early, whose values are not used).
     */
    public long residentAddress(int page) {
      return address[page];
    }

    /**
     * The native address of page {@code page}'s frame, to write (marked dirty; valid until the
     * cache's next accessor call).
     */
    public long writeAddress(int page) {
      long a = address[page];
      if (a == 0) {
        int f = fault(this, page);
        a = frameAddress[f];
      } else {
        referenced[page] = true;
      }
      dirty[page] = true;
      return a;
    }

    /** Page {@code page} to read (valid until the cache's next accessor call). */
    public MemorySegment read(int page) {
      readAddress(page);
      return frames[frameOf[page]];
    }

    /** Page {@code page} to write (marked dirty; valid until the cache's next accessor call). */
    public MemorySegment write(int page) {
      writeAddress(page);
      return frames[frameOf[page]];
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
