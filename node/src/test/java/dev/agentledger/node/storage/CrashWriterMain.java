package dev.agentledger.node.storage;

import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Child process of {@link StorageCrashTest}: appends numbered batches to a RocksDB store, each one
 * atomic {@link WriteBatch} of {@link #KEYS_PER_BATCH} entries spread over three families, written
 * {@link Durability#SYNCED}, and prints the batch number on stdout only after the write returned
 * (the acknowledgement). Continues after the highest batch already in the store. Runs until killed.
 */
public final class CrashWriterMain {
  public static final int KEYS_PER_BATCH = 8;
  static final Column<String, String> META =
      Column.of(ColumnFamily.META, Serializer.STRING, Serializer.STRING);
  static final Column<String, byte[]> BATCHES =
      Column.of(ColumnFamily.BATCHES, Serializer.STRING, Serializer.BYTES);
  static final Column<Long, String> COMMITS =
      Column.of(ColumnFamily.COMMITS, Serializer.LONG, Serializer.STRING);

  private CrashWriterMain() {}

  static String key(long batch, int item) {
    return "b" + batch + "/" + item;
  }

  static byte[] value(long batch, int item) {
    byte[] v = new byte[200 + item * 37];
    for (int i = 0; i < v.length; i++) {
      v[i] = (byte) (batch * 31 + item * 7 + i);
    }
    return v;
  }

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    PrintStream out =
        new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      String last = store.get(META, "last");
      long next = last == null ? 0 : Long.parseLong(last) + 1;
      out.println("ready " + next);
      for (long batch = next; ; batch++) {
        try (WriteBatch wb = store.newBatch()) {
          for (int i = 0; i < KEYS_PER_BATCH - 2; i++) {
            wb.put(BATCHES, key(batch, i), value(batch, i));
          }
          wb.put(COMMITS, batch, "commit-" + batch);
          wb.put(META, "last", Long.toString(batch));
          store.write(wb, Durability.SYNCED);
        }
        out.println("ack " + batch);
      }
    }
  }
}
