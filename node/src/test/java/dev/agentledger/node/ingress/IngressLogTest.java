package dev.agentledger.node.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.execution.LedgerFixture;
import dev.agentledger.node.mempool.core.Mempool;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.storage.Column;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.StoreException;
import dev.agentledger.node.storage.WriteBatch;
import dev.agentledger.node.storage.memory.InMemoryStore;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import dev.agentledger.node.tx.AgentRunDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingress log on RocksDB: replies wait for the synced write, commits forget, replay. */
class IngressLogTest {
  @TempDir Path dir;

  record Sent(long connection, byte[] frame) {}

  final List<Sent> sent = new ArrayList<>();
  final UnsafeBuffer frame = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME]);
  final UnsafeBuffer reply = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME]);

  IngressLog log(RocksDbStore store) {
    return new IngressLog(
        store,
        (c, b, at, length) -> {
          byte[] copy = new byte[length];
          b.getBytes(at, copy);
          sent.add(new Sent(c, copy));
        });
  }

  /** A SUBMIT of runs with {@code nonces} and its result with {@code statuses}; returns length. */
  int submit(long[] nonces, TxStatus... statuses) {
    int length = Wire.submitHeader(frame, 0, 9, nonces.length);
    for (int i = 0; i < nonces.length; i++) {
      frame.putBytes(
          Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + i * AgentRunDescriptor.ENCODED_LENGTH,
          LedgerFixture.run(nonces[i]).sign(LedgerFixture.AGENT));
    }
    int replyLength = Wire.submitResultHeader(reply, 0, 9, statuses.length);
    for (int i = 0; i < statuses.length; i++) {
      reply.putByte(Wire.HEADER_LENGTH + Wire.RESULT_CODES + i, (byte) statuses[i].code());
    }
    return replyLength;
  }

  @Test
  void anAcceptedReplyWaitsForTheSyncedWriteAndARestartReplaysIt() {
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      IngressLog log = log(store);
      int n =
          submit(
              new long[] {0, 1, 2}, TxStatus.ACCEPTED, TxStatus.BAD_SIGNATURE, TxStatus.ACCEPTED);
      log.onSubmitResult(frame, 0, 5, reply, 0, n);
      assertThat(sent).isEmpty();
      int m = submit(new long[] {7}, TxStatus.RATE_LIMITED);
      log.onSubmitResult(frame, 0, 6, reply, 0, m);
      assertThat(sent).as("held behind the first, to keep the order").isEmpty();
      assertThat(log.flush()).isEqualTo(2);
      assertThat(sent).extracting(Sent::connection).containsExactly(5L, 6L);
      assertThat(log.syncedWrites()).isEqualTo(1);
      assertThat(log.loggedTransactions()).isEqualTo(2);

      // Nothing logged: answered at once.
      int k = submit(new long[] {8}, TxStatus.NONCE_REPLAY);
      log.onSubmitResult(frame, 0, 7, reply, 0, k);
      assertThat(sent).hasSize(3);
    }
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      Mempool mempool = new Mempool(MempoolConfig.defaults());
      IngressLog.Replay replay = log(store).replay(mempool, record -> false, 0);
      assertThat(replay).isEqualTo(new IngressLog.Replay(2, 2, 0));
      assertThat(mempool.size()).as("nonce 0 ready, nonce 2 held").isEqualTo(2);
    }
  }

  @Test
  void aCommitForgetsItsEntriesAndReplayKeepsOnesACommitNotYetExecutedHolds() {
    byte[] agent = LedgerFixture.AGENT.publicKey();
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      IngressLog log = log(store);
      int n = submit(new long[] {0, 1, 2}, TxStatus.ACCEPTED, TxStatus.ACCEPTED, TxStatus.ACCEPTED);
      log.onSubmitResult(frame, 0, 5, reply, 0, n);
      log.flush();
      log.onCommitted(new UnsafeBuffer(agent), 0, 0);
      log.flush();
    }
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      Mempool mempool = new Mempool(MempoolConfig.defaults());
      // The state has executed nonce 1 too (another validator's batch): a replay, deleted.
      mempool.seedNoncesFrom((b, at) -> 2);
      assertThat(log(store).replay(mempool, record -> false, 0))
          .isEqualTo(new IngressLog.Replay(2, 1, 1));
    }
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      Mempool mempool = new Mempool(MempoolConfig.defaults());
      // Nonce 2 is in a consensus commit not executed yet: not offered, and kept until that
      // execution consumes the nonce (or refuses it as too new, and the validator takes it back).
      assertThat(log(store).replay(mempool, record -> true, 0))
          .isEqualTo(new IngressLog.Replay(1, 0, 0));
      assertThat(mempool.size()).isZero();
      assertThat(log(store).logged(new UnsafeBuffer(agent), 0, 2)).isNotNull();
      // Executed, but refused (BAD_NONCE: an earlier nonce of the signer came later): offered.
      assertThat(log(store).replay(mempool, record -> false, 0))
          .isEqualTo(new IngressLog.Replay(1, 1, 0));
    }
  }

  @Test
  void aFailedWriteSendsNoAcceptedReply() {
    Store failing =
        new RecordingStore() {
          @Override
          public void write(WriteBatch batch, Durability durability) {
            batch.close();
            throw new StoreException("write failed: No space left on device", null);
          }
        };
    IngressLog log =
        new IngressLog(
            failing,
            (c, b, at, length) -> {
              byte[] copy = new byte[length];
              b.getBytes(at, copy);
              sent.add(new Sent(c, copy));
            });
    int n = submit(new long[] {0}, TxStatus.ACCEPTED);
    log.onSubmitResult(frame, 0, 5, reply, 0, n);
    assertThatThrownBy(log::flush).isInstanceOf(StoreException.class);
    assertThat(sent).isEmpty();
    assertThat(log.flush()).isZero();
    assertThat(sent).isEmpty();
  }

  /**
   * A store that records the durability of every write it passes on to an in-memory store (a test
   * overrides {@code write} to make it fail).
   */
  static class RecordingStore implements Store {
    final InMemoryStore memory = new InMemoryStore();
    final List<Durability> writes = new ArrayList<>();

    @Override
    public <K, V> V get(Column<K, V> column, K key) {
      return memory.get(column, key);
    }

    @Override
    public WriteBatch newBatch() {
      return memory.newBatch();
    }

    @Override
    public void write(WriteBatch batch, Durability durability) {
      writes.add(durability);
      memory.write(batch, durability);
    }

    @Override
    public <K, V> void scan(
        Column<K, V> column, K fromKey, java.util.function.BiPredicate<K, V> visitor) {
      memory.scan(column, fromKey, visitor);
    }

    @Override
    public void close() {}
  }

  @Test
  void aDeferredSyncHoldsTheRepliesUntilTheCallersSyncedWriteReturned() {
    RecordingStore store = new RecordingStore();
    IngressLog log =
        new IngressLog(
            store,
            (c, b, at, length) -> {
              byte[] copy = new byte[length];
              b.getBytes(at, copy);
              sent.add(new Sent(c, copy));
            });
    int n = submit(new long[] {0, 1}, TxStatus.ACCEPTED, TxStatus.ACCEPTED);
    log.onSubmitResult(frame, 0, 5, reply, 0, n);
    log.writeDeferringSync();
    assertThat(store.writes).containsExactly(Durability.BUFFERED);
    assertThat(sent).as("not durable yet: no ACCEPTED").isEmpty();
    int m = submit(new long[] {7}, TxStatus.RATE_LIMITED);
    log.onSubmitResult(frame, 0, 6, reply, 0, m);
    assertThat(sent).as("held behind the unsynced one, to keep the order").isEmpty();

    // The caller's synced write (the worker's group write) covers the buffered entries.
    store.write(store.newBatch(), Durability.SYNCED);
    assertThat(log.synced()).isEqualTo(2);
    assertThat(sent).extracting(Sent::connection).containsExactly(5L, 6L);
    assertThat(log.syncedWrites()).isEqualTo(1);
    assertThat(log.loggedTransactions()).isEqualTo(2);

    // Deferred, but the caller's synced write never happened (it threw): the next flush syncs
    // itself before any reply goes out, even with nothing new to log.
    int k = submit(new long[] {2}, TxStatus.ACCEPTED);
    log.onSubmitResult(frame, 0, 8, reply, 0, k);
    log.writeDeferringSync();
    store.writes.clear();
    assertThat(log.flush()).isEqualTo(1);
    assertThat(store.writes).containsExactly(Durability.SYNCED);
    assertThat(sent).extracting(Sent::connection).containsExactly(5L, 6L, 8L);
  }
}
