package dev.agentledger.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/**
 * The column family names are on-disk format: they never change, and a store written before a
 * family was added opens with that family created empty and its old data intact.
 */
class ColumnFamilyLayoutTest {
  /** Every name ever shipped, in order; append here when a family is added, never edit. */
  private static final List<String> NAMES =
      List.of(
          "batches",
          "certificates",
          "commits",
          "state_nodes",
          "runs_by_agent",
          "consensus",
          "tx_index",
          "committed_batches",
          "meta",
          "state_values",
          "ledger_commits",
          "ledger_certificates",
          "ledger_tx_index",
          "ingress_log",
          "expired_ids",
          "state_pages");

  private static final int BEFORE_PERSISTED_EXECUTION = 9;

  @TempDir Path dir;

  @Test
  void namesAreStable() {
    assertThat(Arrays.stream(ColumnFamily.values()).map(ColumnFamily::familyName).toList())
        .containsExactlyElementsOf(NAMES);
  }

  @Test
  void aStoreFromBeforeTheExecutionFamiliesOpensWithThemAddedAndItsDataIntact() throws Exception {
    dev.agentledger.node.storage.rocksdb.RocksNativeLibrary.load();
    List<ColumnFamilyDescriptor> old = new ArrayList<>();
    old.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
    for (String name : NAMES.subList(0, BEFORE_PERSISTED_EXECUTION)) {
      old.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.US_ASCII)));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options =
            new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        RocksDB db = RocksDB.open(options, dir.toString(), old, handles)) {
      db.put(
          handles.get(NAMES.indexOf("meta") + 1),
          "k".getBytes(StandardCharsets.US_ASCII),
          "v".getBytes(StandardCharsets.US_ASCII));
      handles.forEach(ColumnFamilyHandle::close);
    }
    Column<String, String> meta =
        Column.of(ColumnFamily.META, Serializer.STRING, Serializer.STRING);
    Column<String, String> values =
        Column.of(ColumnFamily.STATE_VALUES, Serializer.STRING, Serializer.STRING);
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      assertThat(store.get(meta, "k")).isEqualTo("v");
      store.put(values, "x", "y", Durability.SYNCED);
    }
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      assertThat(store.get(values, "x")).isEqualTo("y");
    }
    try (org.rocksdb.Options options = new org.rocksdb.Options()) {
      assertThat(
              RocksDB.listColumnFamilies(options, dir.toString()).stream()
                  .map(b -> new String(b, StandardCharsets.US_ASCII))
                  .toList())
          .containsAll(NAMES);
    }
  }
}
