package dev.agentledger.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link Store} keeps; one subclass per implementation. */
public abstract class AbstractStoreTest {
  protected static final Column<Long, String> COMMITS =
      Column.of(ColumnFamily.COMMITS, Serializer.LONG, Serializer.STRING);
  protected static final Column<byte[], byte[]> BATCHES = Column.raw(ColumnFamily.BATCHES);
  protected static final Column<String, String> META =
      Column.of(ColumnFamily.META, Serializer.STRING, Serializer.STRING);

  protected Store store;

  protected abstract Store open();

  @BeforeEach
  void setUp() {
    store = open();
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  @Test
  void putGetDelete() {
    store.put(META, "a", "1", Durability.SYNCED);
    assertThat(store.get(META, "a")).isEqualTo("1");
    assertThat(store.get(META, "b")).isNull();
    try (WriteBatch batch = store.newBatch()) {
      batch.delete(META, "a").put(META, "b", "2");
      assertThat(batch.size()).isEqualTo(2);
      store.write(batch, Durability.BUFFERED);
    }
    assertThat(store.get(META, "a")).isNull();
    assertThat(store.get(META, "b")).isEqualTo("2");
  }

  @Test
  void containsAnswersPresenceWhateverTheValueSize() {
    byte[] key = {4, 5, 6};
    assertThat(store.contains(BATCHES, key)).isFalse();
    store.put(BATCHES, key, new byte[64 * 1024], Durability.BUFFERED);
    assertThat(store.contains(BATCHES, key)).isTrue();
    assertThat(store.contains(Column.raw(ColumnFamily.CERTIFICATES), key)).isFalse();
    store.put(META, "empty", "", Durability.BUFFERED);
    assertThat(store.contains(META, "empty")).isTrue();
    try (WriteBatch batch = store.newBatch()) {
      batch.delete(BATCHES, key);
      store.write(batch, Durability.BUFFERED);
    }
    assertThat(store.contains(BATCHES, key)).isFalse();
  }

  @Test
  void familiesAreSeparate() {
    byte[] key = {1, 2, 3};
    store.put(BATCHES, key, new byte[] {9}, Durability.BUFFERED);
    assertThat(store.get(Column.raw(ColumnFamily.CERTIFICATES), key)).isNull();
    assertThat(store.get(BATCHES, key)).containsExactly(9);
  }

  @Test
  void scanIsInNumericOrderForLongKeys() {
    long[] keys = {5, -3, 0, 1L << 40, Long.MIN_VALUE, Long.MAX_VALUE, 2};
    for (long k : keys) {
      store.put(COMMITS, k, "v" + k, Durability.BUFFERED);
    }
    List<Long> seen = new ArrayList<>();
    store.scan(COMMITS, null, (k, v) -> seen.add(k) && v.equals("v" + k));
    assertThat(seen).containsExactly(Long.MIN_VALUE, -3L, 0L, 2L, 5L, 1L << 40, Long.MAX_VALUE);

    List<Long> from = new ArrayList<>();
    store.scan(COMMITS, 1L, (k, v) -> from.add(k) && from.size() < 2);
    assertThat(from).containsExactly(2L, 5L);
  }

  @Test
  void storedBytesDoNotAliasCallerArrays() {
    byte[] key = {7};
    byte[] value = {1, 2};
    store.put(BATCHES, key, value, Durability.BUFFERED);
    value[0] = 99;
    byte[] read = store.get(BATCHES, new byte[] {7});
    assertThat(read).containsExactly(1, 2);
  }
}
