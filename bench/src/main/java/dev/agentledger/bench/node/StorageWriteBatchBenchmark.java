package dev.agentledger.bench.node;

import dev.agentledger.node.storage.Column;
import dev.agentledger.node.storage.ColumnFamily;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Serializer;
import dev.agentledger.node.storage.WriteBatch;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One RocksDB write batch as the node writes them (the node's {@link RocksDbStore}, its column
 * families and options): {@code entries} index entries (32-byte key, 8-byte value, like {@code
 * tx_index}) plus one record of {@code entries} x 32 bytes (like a commit record), written {@code
 * BUFFERED} (WAL, no fsync) or {@code SYNCED} (fsync of the WAL before returning). Time per batch;
 * divide by {@code entries} for the cost per transaction. The data directory is under {@code
 * java.io.tmpdir} unless {@code -Dagentledger.bench.dir} names one (put it on the disk the node
 * uses).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
          "--sun-misc-unsafe-memory-access=allow"
    })
public class StorageWriteBatchBenchmark {
  private static final Column<byte[], Long> INDEX =
      Column.of(ColumnFamily.TX_INDEX, Serializer.BYTES, Serializer.LONG);
  private static final Column<Long, byte[]> RECORDS =
      Column.of(ColumnFamily.COMMITS, Serializer.LONG, Serializer.BYTES);

  @Param({"1", "100", "1000"})
  public int entries;

  @Param({"BUFFERED", "SYNCED"})
  public Durability durability;

  private Path dir;
  private RocksDbStore store;
  private final SplittableRandom random = new SplittableRandom(3);
  private byte[][] keys;
  private byte[] record;
  private long sequence;

  @Setup(Level.Trial)
  public void open() throws IOException {
    Path base =
        Path.of(System.getProperty("agentledger.bench.dir", System.getProperty("java.io.tmpdir")));
    dir = Files.createTempDirectory(base, "al-storage-bench");
    store = RocksDbStore.open(dir);
    keys = new byte[entries][32];
    record = new byte[entries * 32];
  }

  @Benchmark
  public long writeBatch() {
    try (WriteBatch b = store.newBatch()) {
      for (byte[] key : keys) {
        for (int i = 0; i < 32; i += 8) {
          long r = random.nextLong();
          for (int j = 0; j < 8; j++) {
            key[i + j] = (byte) (r >>> (8 * j));
          }
        }
        b.put(INDEX, key, sequence);
      }
      b.put(RECORDS, sequence, record);
      store.write(b, durability);
    }
    return sequence++;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
