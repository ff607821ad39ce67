package dev.agentledger.bench.soak.core;

/**
 * The parts of a validator's memory a soak sample records beside its RSS and heap, each in bytes
 * (the arena count excepted). They come from four sources: RocksDB's own accounting ({@code
 * /status} {@code storage.memory}), the execution state's ({@code /status} {@code
 * execution.stateMemory}), the JVM's native memory tracking ({@code jcmd PID VM.native_memory
 * summary}, committed bytes) and the kernel's view ({@code /proc/PID/status} and {@code
 * /proc/PID/smaps}).
 */
public enum MemoryPart {
  /** RocksDB's block cache usage, the memtables' charges to it included. */
  ROCKSDB_CACHE("rocksdb cache"),
  /** Entries of the cache in use (they cannot be evicted). */
  ROCKSDB_PINNED("rocksdb pinned"),
  /** Every family's memtables (charged to the cache, so also inside {@link #ROCKSDB_CACHE}). */
  ROCKSDB_MEMTABLES("rocksdb memtables"),
  /** Open table files' readers outside the cache. */
  ROCKSDB_TABLE_READERS("rocksdb table readers"),
  /** The cache's capacity: RocksDB's bound. */
  ROCKSDB_CAPACITY("rocksdb capacity"),
  /** Native memory tracking's committed total less the Java heap: the JVM outside the heap. */
  JVM_NATIVE("jvm native"),
  /** NMT category Other: direct byte buffers and Unsafe allocations. */
  JVM_DIRECT("jvm other (direct)"),
  /** NMT category Code: the code cache. */
  JVM_CODE("jvm code"),
  /** NMT categories Class and Metaspace. */
  JVM_METASPACE("jvm metaspace"),
  /** NMT categories GC and GCCardSet. */
  JVM_GC("jvm gc"),
  /** NMT category Thread: thread stacks. */
  JVM_THREAD("jvm thread"),
  /** NMT categories Compiler and Arena Chunk: the JIT's working memory. */
  JVM_COMPILER("jvm compiler"),
  /** glibc malloc heaps: 64 MiB-aligned anonymous regions of the secondary arenas. */
  MALLOC_HEAPS("malloc heaps (count)"),
  /** Resident bytes of the malloc heaps and the main arena ({@code [heap]}). */
  MALLOC_RSS("malloc rss"),
  /** {@code RssAnon} of {@code /proc/PID/status}. */
  RSS_ANON("rss anon"),
  /** {@code RssFile} of {@code /proc/PID/status}: mapped jars and libraries. */
  RSS_FILE("rss file"),
  /**
   * The execution state's resident pages ({@code /status} {@code execution.stateMemory
   * .offHeapBytes}): native memory, part of RSS, bounded by the state cache.
   */
  STATE_PAGES("state pages"),
  /** The state cache's bound ({@code cacheLimitBytes}; -1: unbounded or unknown). */
  STATE_CACHE_LIMIT("state cache limit"),
  /** All the state's pages, resident or paged out to RocksDB ({@code pagedBytes}). */
  STATE_ALL_PAGES("state all pages");

  private final String label;

  MemoryPart(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** A sample with every part unknown (-1). */
  public static long[] unknown() {
    long[] parts = new long[values().length];
    java.util.Arrays.fill(parts, -1);
    return parts;
  }
}
