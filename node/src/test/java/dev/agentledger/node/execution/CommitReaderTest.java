package dev.agentledger.node.execution;

import static dev.agentledger.node.execution.LedgerFixture.AGENT;
import static dev.agentledger.node.execution.LedgerFixture.AGENT2;
import static dev.agentledger.node.execution.LedgerFixture.OPERATOR;
import static dev.agentledger.node.execution.LedgerFixture.op;
import static dev.agentledger.node.execution.LedgerFixture.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.hash.Sha256;
import dev.agentledger.node.commitlog.CommitLog;
import dev.agentledger.node.commitlog.CommitLogFlyweight;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.TransactionRecords;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.memory.InMemoryStore;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import dev.agentledger.node.tx.AccountOpBuilder;
import dev.agentledger.node.tx.TransactionSlot;
import dev.agentledger.node.worker.core.Worker;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CommitReader} against the commit log and batches it reads: each commit's records, read in
 * place into one reused buffer, equal the batches' records copied one by one (runs and padded
 * account operations, batches larger than the reader's first buffer), in RocksDB and in memory.
 */
class CommitReaderTest {
  private static final int COMMITS = 5;

  /** Writes {@link #COMMITS} commits into {@code store}; returns each commit's records in order. */
  private static List<List<byte[]>> writeCommits(Store store) {
    Random random = new Random(11);
    byte[] run = run(0).sign(AGENT);
    byte[] transfer = op(AccountOpBuilder.transfer(AGENT2.publicKey(), 5), 0).sign(OPERATOR);
    List<List<byte[]>> expected = new ArrayList<>();
    for (int c = 0; c < COMMITS; c++) {
      int[] sizes = c == 3 ? new int[] {700, 1} : new int[] {random.nextInt(40), 0, 1 + c};
      List<byte[]> records = new ArrayList<>();
      CommitLogFlyweight entry = new CommitLogFlyweight().create(sizes.length, 0);
      byte[] anchor = new byte[32];
      random.nextBytes(anchor);
      entry.anchor(anchor).anchorRound(10 + c);
      for (int b = 0; b < sizes.length; b++) {
        ByteBuffer body =
            ByteBuffer.allocate(Wire.BATCH_RECORDS + sizes[b] * Wire.RECORD)
                .order(ByteOrder.LITTLE_ENDIAN);
        random.nextBytes(body.array()); // a header the reader does not read
        body.putInt(Wire.BATCH_COUNT, sizes[b]);
        for (int t = 0; t < sizes[b]; t++) {
          byte[] record = (t % 5 == 2 ? transfer : run).clone();
          record[record.length - 1] = (byte) random.nextInt(); // tell records apart
          body.put(Wire.BATCH_RECORDS + t * Wire.RECORD, TransactionSlot.pad(record));
          records.add(record);
        }
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        entry.batchDigest(b, digest);
        store.put(Worker.BATCHES, digest, body.array(), Durability.SYNCED);
      }
      byte[] sealed = entry.seal(new byte[32], new Sha256()).clone();
      store.put(CommitLog.COLUMN, (long) c, sealed, Durability.SYNCED);
      expected.add(records);
    }
    return expected;
  }

  private static void readsEveryCommitAsWritten(Store store) {
    List<List<byte[]>> expected = writeCommits(store);
    CommitReader reader = new CommitReader(store);
    List<CommittedInput> read = new ArrayList<>();
    for (int c = 0; c < COMMITS; c++) {
      read.add(reader.read(c + 1));
    }
    // read all first: a later read must not change what an earlier one returned
    for (int c = 0; c < COMMITS; c++) {
      CommittedInput input = read.get(c);
      assertThat(input.sequence()).isEqualTo(c + 1);
      assertThat(input.round()).isEqualTo(10 + c);
      assertThat(input.records()).isEqualTo(TransactionRecords.copyOf(expected.get(c)));
      assertThat(input.transactions()).containsExactlyElementsOf(expected.get(c));
      assertThat(ExecutionService.readCommit(store, c + 1).records()).isEqualTo(input.records());
    }
  }

  @Test
  void readsTheRecordsOfRocksDbCommitsInPlace(@TempDir Path dir) {
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      readsEveryCommitAsWritten(store);
    }
  }

  @Test
  void readsTheRecordsOfInMemoryCommits() {
    readsEveryCommitAsWritten(new InMemoryStore());
  }

  @Test
  void aMissingBatchOrCommitIsAnError(@TempDir Path dir) {
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      CommitLogFlyweight entry = new CommitLogFlyweight().create(1, 0);
      entry.anchor(new byte[32]).anchorRound(1).batchDigest(0, new byte[32]);
      store.put(CommitLog.COLUMN, 0L, entry.seal(new byte[32], new Sha256()), Durability.SYNCED);
      CommitReader reader = new CommitReader(store);
      assertThatThrownBy(() -> reader.read(1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("names a batch this node does not hold");
      assertThatThrownBy(() -> reader.read(2)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void getIntoCopiesTheValueOrSaysItsLength(@TempDir Path dir) {
    try (RocksDbStore rocks = RocksDbStore.open(dir)) {
      for (Store store : List.of(rocks, new InMemoryStore())) {
        byte[] value = {1, 2, 3, 4, 5};
        store.put(Worker.BATCHES, new byte[] {7}, value, Durability.SYNCED);
        byte[] large = new byte[8];
        assertThat(store.getInto(Worker.BATCHES, new byte[] {7}, large)).isEqualTo(5);
        assertThat(large).startsWith(1, 2, 3, 4, 5);
        byte[] small = new byte[2];
        assertThat(store.getInto(Worker.BATCHES, new byte[] {7}, small)).isEqualTo(5);
        assertThat(small).containsExactly(1, 2);
        assertThat(store.getInto(Worker.BATCHES, new byte[] {8}, large)).isEqualTo(-1);
      }
    }
  }
}
