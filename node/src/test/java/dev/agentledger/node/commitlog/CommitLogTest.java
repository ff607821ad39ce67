package dev.agentledger.node.commitlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.hash.Sha256;
import dev.agentledger.node.storage.Column;
import dev.agentledger.node.storage.ColumnFamily;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Serializer;
import dev.agentledger.node.storage.memory.InMemoryStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CommitLogTest {
  private static byte[] hash(Random random) {
    byte[] h = new byte[32];
    random.nextBytes(h);
    return h;
  }

  private static byte[] entry(Random random, byte[] previous, int batches, int txs) {
    CommitLogFlyweight w = new CommitLogFlyweight().create(batches, txs);
    w.anchor(hash(random)).anchorRound(random.nextLong() & Long.MAX_VALUE);
    for (int i = 0; i < batches; i++) {
      w.batchDigest(i, hash(random));
    }
    for (int i = 0; i < txs; i++) {
      w.txId(i, hash(random), 0);
    }
    return w.seal(previous, new Sha256());
  }

  @Property(tries = 60)
  void entriesRoundTripWithTheDocumentedLayout(
      @ForAll long seed,
      @ForAll @IntRange(max = 12) int batches,
      @ForAll @IntRange(max = 40) int txs) {
    Random random = new Random(seed);
    byte[] previous = hash(random);
    byte[] anchor = hash(random);
    long round = random.nextLong() & Long.MAX_VALUE;
    byte[][] digests = new byte[batches][];
    byte[][] ids = new byte[txs][];
    CommitLogFlyweight w = new CommitLogFlyweight().create(batches, txs);
    w.anchor(anchor).anchorRound(round);
    for (int i = 0; i < batches; i++) {
      w.batchDigest(i, digests[i] = hash(random));
    }
    for (int i = 0; i < txs; i++) {
      w.txId(i, ids[i] = hash(random), 0);
    }
    byte[] bytes = w.seal(previous, new Sha256()).clone();

    // The layout as documented: version, chain, anchor, round, counts (little-endian), digests,
    // ids.
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(bytes).hasSize(81 + 32 * (batches + txs));
    assertThat(b.get(0)).isEqualTo((byte) 2);
    assertThat(Arrays.copyOfRange(bytes, 33, 65)).isEqualTo(anchor);
    assertThat(b.getLong(65)).isEqualTo(round);
    assertThat(b.getInt(73)).isEqualTo(batches);
    assertThat(b.getInt(77)).isEqualTo(txs);
    byte[] chained = new byte[32 + bytes.length - 33];
    System.arraycopy(previous, 0, chained, 0, 32);
    System.arraycopy(bytes, 33, chained, 32, bytes.length - 33);
    assertThat(Arrays.copyOfRange(bytes, 1, 33)).isEqualTo(Sha256.digest(chained));

    CommitLogFlyweight r = new CommitLogFlyweight().wrap(bytes);
    assertThat(r.anchor()).isEqualTo(anchor);
    assertThat(r.anchorRound()).isEqualTo(round);
    assertThat(r.batchCount()).isEqualTo(batches);
    assertThat(r.txCount()).isEqualTo(txs);
    for (int i = 0; i < batches; i++) {
      assertThat(r.batchDigest(i)).isEqualTo(digests[i]);
    }
    byte[] id = new byte[40];
    for (int i = 0; i < txs; i++) {
      r.copyTxId(i, id, 8);
      assertThat(Arrays.copyOfRange(id, 8, 40)).isEqualTo(ids[i]);
    }
    assertThat(r.chainMatches(previous, new Sha256())).isTrue();
    assertThat(r.chainMatches(hash(random), new Sha256())).isFalse();
  }

  @Property(tries = 60)
  void anyChangedByteAfterTheChainBreaksIt(@ForAll long seed) {
    Random random = new Random(seed);
    byte[] previous = hash(random);
    byte[] bytes = entry(random, previous, 1 + random.nextInt(4), random.nextInt(8)).clone();
    int at = CommitLogDescriptor.CHAINED_OFFSET + random.nextInt(bytes.length - 33);
    bytes[at] ^= (byte) (1 + random.nextInt(255));
    boolean stillWhole;
    try {
      new CommitLogFlyweight().wrap(bytes);
      stillWhole = true;
    } catch (IllegalArgumentException e) {
      stillWhole = false; // a changed count no longer matches the length
    }
    if (stillWhole) {
      assertThat(new CommitLogFlyweight().wrap(bytes).chainMatches(previous, new Sha256()))
          .isFalse();
    }
  }

  @Test
  void malformedEntriesAreRefusedNamingWhatIsWrong() {
    Random random = new Random(7);
    byte[] good = entry(random, new byte[32], 2, 3);
    CommitLogFlyweight r = new CommitLogFlyweight();

    assertThatThrownBy(() -> r.wrap(new byte[80]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shorter than its 81-byte header");

    byte[] versionOne = good.clone();
    versionOne[0] = 1;
    assertThatThrownBy(() -> r.wrap(versionOne))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("commit log entry of version 1; this node reads version 2");

    assertThatThrownBy(() -> r.wrap(Arrays.copyOf(good, good.length + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need " + good.length);
    assertThatThrownBy(() -> r.wrap(Arrays.copyOf(good, good.length - 32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need " + good.length);

    byte[] hugeCount = good.clone();
    ByteBuffer.wrap(hugeCount).order(ByteOrder.LITTLE_ENDIAN).putInt(77, -1);
    assertThatThrownBy(() -> r.wrap(hugeCount))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("above their bounds");

    CommitLogFlyweight ok = r.wrap(good);
    assertThatThrownBy(() -> ok.batchDigest(2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> ok.copyTxId(-1, new byte[32], 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> new CommitLogFlyweight().create(-1, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CommitLogFlyweight().create(0, 0).anchor(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNewLogIsMarkedAndReadBack() {
    InMemoryStore store = new InMemoryStore();
    CommitLog.open(store);
    byte[] first = entry(new Random(1), new byte[32], 1, 2);
    store.put(CommitLog.COLUMN, 0L, first, Durability.SYNCED);
    CommitLog.open(store); // marked: a reopen with entries passes

    CommitLogFlyweight read = CommitLog.read(store, 0, new CommitLogFlyweight());
    assertThat(read.bytes()).isEqualTo(first);
    assertThat(read.txCount()).isEqualTo(2);
    assertThatThrownBy(() -> CommitLog.read(store, 1, new CommitLogFlyweight()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("commit log has no commit 1");

    store.put(CommitLog.COLUMN, 1L, new byte[] {2, 0, 0}, Durability.SYNCED);
    assertThatThrownBy(() -> CommitLog.read(store, 1, new CommitLogFlyweight()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("commit log entry 1: commit log entry of 3 bytes");
  }

  @Test
  void aLogOfVersionOneIsRefusedInOneLine() {
    InMemoryStore store = new InMemoryStore();
    // Version 1: chain first, big-endian, no version byte and no format mark.
    store.put(CommitLog.COLUMN, 0L, new byte[32 + 32 + 8 + 4 + 4], Durability.SYNCED);
    assertThatThrownBy(() -> CommitLog.open(store))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the store holds a commit log of version 1; this node reads version 2 (start from an"
                + " empty data directory)");

    InMemoryStore marked = new InMemoryStore();
    marked.put(
        Column.of(ColumnFamily.META, Serializer.STRING, Serializer.LONG),
        CommitLog.FORMAT_KEY,
        3L,
        Durability.SYNCED);
    assertThatThrownBy(() -> CommitLog.open(marked))
        .hasMessageStartingWith("the store holds a commit log of version 3;");
  }
}
