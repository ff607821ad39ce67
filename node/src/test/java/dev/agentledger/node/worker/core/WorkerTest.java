package dev.agentledger.node.worker.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.ingress.SingleEd25519Verifier;
import dev.agentledger.node.mempool.core.Mempool;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.net.MessageType;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.storage.memory.InMemoryStore;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.sig.Ed25519KeyPair;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Four pure workers over a deterministic in-memory network (no threads, no sockets): batches get
 * certified everywhere; a tampered batch is refused; a validator that missed a batch fetches it
 * when the certificate arrives; a forged acknowledgement does not count.
 */
class WorkerTest {
  static final int CHAIN = 3;
  static final long MS = 1_000_000L;

  record Frame(int from, int to, byte[] bytes) {}

  final Committee committee = TestKeys.committee(4, new int[4], new int[4]);
  final ArrayDeque<Frame> network = new ArrayDeque<>();
  final List<List<BatchCertificate>> delivered = new ArrayList<>();
  final List<Worker> workers = new ArrayList<>();
  final List<Mempool> mempools = new ArrayList<>();
  final List<InMemoryStore> stores = new ArrayList<>();
  BiPredicate<Frame, Byte> drop = (f, type) -> false;

  WorkerTest() {
    for (int i = 0; i < 4; i++) {
      int self = i;
      List<BatchCertificate> mine = new ArrayList<>();
      delivered.add(mine);
      Mempool mempool = new Mempool(new MempoolConfig(1000, 100, 100, 100, 0, 0, 16, 0, 0));
      InMemoryStore store = new InMemoryStore();
      mempools.add(mempool);
      stores.add(store);
      workers.add(
          new Worker(
              i,
              CHAIN,
              committee,
              TestKeys.key(i),
              store,
              mempool,
              new WorkerConfig(8, 5 * MS, 100 * MS, 4),
              (peer, frame, offset, length) -> {
                byte[] bytes = new byte[length];
                frame.getBytes(offset, bytes);
                network.add(new Frame(self, peer, bytes));
                return true;
              },
              mine::add,
              new SingleEd25519Verifier(),
              new CertificateVerifier(committee, CHAIN, new VerifiedCertificates(64))));
    }
  }

  List<byte[]> offer(int validator, int agentSeed, int count) {
    List<byte[]> records = new ArrayList<>();
    Ed25519KeyPair agent =
        Ed25519KeyPair.fromSeed(
            new byte[] {
              (byte) agentSeed,
              2,
              3,
              4,
              5,
              6,
              7,
              8,
              9,
              10,
              11,
              12,
              13,
              14,
              15,
              16,
              17,
              18,
              19,
              20,
              21,
              22,
              23,
              24,
              25,
              26,
              27,
              28,
              29,
              30,
              31,
              32
            });
    for (int n = 0; n < count; n++) {
      byte[] r = new AgentRunBuilder().chainId(CHAIN).nonce(n).startedAt(1).endedAt(2).sign(agent);
      mempools.get(validator).offer(new UnsafeBuffer(r), 0, -1, 0);
      records.add(r);
    }
    return records;
  }

  /** Delivers frames until the network is quiet, ticking every worker at {@code nowNs}. */
  void run(long nowNs) {
    for (int round = 0; round < 1000; round++) {
      for (Worker w : workers) {
        w.onTick(nowNs);
        w.flush();
      }
      if (network.isEmpty()) {
        return;
      }
      while (!network.isEmpty()) {
        Frame f = network.poll();
        UnsafeBuffer b = new UnsafeBuffer(f.bytes());
        assertThat(Wire.validate(b, 0, f.bytes().length)).isEqualTo(Wire.FrameError.OK);
        byte type = Wire.type(b, 0);
        if (drop.test(f, type)) {
          continue;
        }
        Worker to = workers.get(f.to());
        switch (type) {
          case MessageType.BATCH -> to.onBatch(f.from(), b, 0, f.bytes().length);
          case MessageType.BATCH_ACK -> to.onAck(f.from(), b, 0);
          case MessageType.BATCH_CERT -> to.onCertificate(f.from(), b, 0, nowNs);
          case MessageType.BATCH_REQUEST -> to.onBatchRequest(f.from(), b, 0);
          default -> throw new AssertionError("unexpected " + type);
        }
        to.flush();
      }
    }
    throw new AssertionError("network did not settle");
  }

  @Test
  void batchesAreCertifiedOnEveryValidator() {
    offer(0, 1, 20);
    offer(2, 2, 3);
    run(0);
    run(10 * MS); // the partial batches seal after the delay
    for (int v = 0; v < 4; v++) {
      assertThat(delivered.get(v).stream().mapToInt(BatchCertificate::txCount).sum())
          .as("validator %d", v)
          .isEqualTo(23);
      for (BatchCertificate c : delivered.get(v)) {
        assertThat(c.verify(committee, CHAIN)).isNull();
        assertThat(stores.get(v).get(Worker.BATCHES, c.digest())).isNotNull();
      }
    }
  }

  @Test
  void pausedWorkerSealsNothingButStillAcknowledgesAndSealsOnceResumed() {
    workers.get(0).pauseSealing(true);
    offer(0, 1, 20);
    offer(2, 2, 8);
    run(0);
    run(10 * MS);
    assertThat(workers.get(0).sealedTxs()).isZero();
    assertThat(mempools.get(0).readyCount()).isEqualTo(20); // accepted runs wait, none is lost
    // The paused worker still acknowledges a peer's batch, so the peer's batch is certified.
    assertThat(delivered.get(0).stream().mapToInt(BatchCertificate::txCount).sum()).isEqualTo(8);
    assertThat(workers.get(0).acksSent()).isEqualTo(1);

    workers.get(0).pauseSealing(false);
    run(20 * MS);
    run(30 * MS);
    assertThat(workers.get(0).sealedTxs()).isEqualTo(20);
    for (int v = 0; v < 4; v++) {
      assertThat(delivered.get(v).stream().mapToInt(BatchCertificate::txCount).sum())
          .as("validator %d", v)
          .isEqualTo(28);
    }
  }

  @Test
  void validatorThatMissedABatchFetchesItForTheCertificate() {
    drop =
        (f, type) ->
            type == MessageType.BATCH
                && f.to() == 3
                && f.from() == 0
                && workers.get(3).fetchRequests() == 0;
    offer(0, 1, 8);
    run(0);
    assertThat(workers.get(3).fetchRequests()).isEqualTo(1);
    assertThat(delivered.get(3)).hasSize(1);
    assertThat(stores.get(3).get(Worker.BATCHES, delivered.get(3).get(0).digest())).isNotNull();
  }

  @Test
  void tamperedBatchIsRefusedAndNeverAcknowledged() {
    // Validator 1 flips a byte of every record batch it receives (as if the author lied).
    drop =
        (f, type) -> {
          if (type == MessageType.BATCH && f.to() == 1) {
            f.bytes()[f.bytes().length - 1] ^= 1;
            UnsafeBuffer b = new UnsafeBuffer(f.bytes());
            workers.get(1).onBatch(f.from(), b, 0, f.bytes().length);
            return true;
          }
          return false;
        };
    offer(0, 1, 8);
    run(0);
    assertThat(workers.get(1).refusedMessages()).isPositive();
    assertThat(workers.get(1).acksSent()).isZero();
    // Three honest acknowledgements (0, 2, 3) still certify: 3 of 4 equal stakes is > 2/3.
    assertThat(delivered.get(0)).hasSize(1);
    assertThat(delivered.get(0).get(0).signers()).containsExactly(0, 2, 3);
  }

  @Test
  void forgedAcknowledgementDoesNotCount() {
    // Only validator 1 answers, and validator 1's acks are forged; nothing reaches a quorum.
    drop =
        (f, type) -> {
          if (type == MessageType.BATCH_ACK) {
            f.bytes()[Wire.HEADER_LENGTH + Wire.ACK_SIGNATURE] ^= 1;
          }
          return type == MessageType.BATCH_ACK && f.from() != 1;
        };
    offer(0, 1, 8);
    run(0);
    assertThat(delivered.get(0)).isEmpty();
    assertThat(workers.get(0).refusedMessages()).isPositive();
    assertThat(workers.get(0).pendingBatches()).isEqualTo(1);
  }

  @Test
  void batchWithOneForgedSignatureIsNeitherAcknowledgedNorCertified() {
    // Validator 0 is Byzantine: it seals a batch whose records are well-formed and whose digest is
    // right, but one record's signature is forged (it skipped ingress). The honest workers verify
    // every signature of a peer batch before acknowledging it.
    Ed25519KeyPair agent = Ed25519KeyPair.fromSeed(new byte[32]);
    for (int n = 0; n < 8; n++) {
      byte[] r = new AgentRunBuilder().chainId(CHAIN).nonce(n).startedAt(1).endedAt(2).sign(agent);
      if (n == 5) {
        r[dev.agentledger.node.tx.AgentRunDescriptor.SIGNATURE_OFFSET + 3] ^= 0x10;
      }
      assertThat(mempools.get(0).offer(new UnsafeBuffer(r), 0, -1, 0))
          .isEqualTo(dev.agentledger.node.mempool.core.Admission.ADMITTED);
    }
    offer(2, 9, 8); // an honest batch from validator 2 at the same time
    run(0);
    run(400 * MS); // the author retransmits; the batch is refused again
    for (int v = 1; v < 4; v++) {
      Worker w = workers.get(v);
      assertThat(w.badSignatureBatches()).as("validator %d", v).isGreaterThanOrEqualTo(1);
      for (BatchCertificate c : delivered.get(v)) {
        assertThat(c.author()).as("validator %d certified only the honest batch", v).isEqualTo(2);
      }
      assertThat(delivered.get(v)).as("validator %d", v).hasSize(1);
    }
    assertThat(workers.get(0).pendingBatches())
        .isEqualTo(1); // its own batch never reached a quorum
    assertThat(delivered.get(0)).extracting(BatchCertificate::author).containsExactly(2);
    assertThat(workers.get(0).badSignatureBatches()).isZero();
    // Honest validators acknowledged validator 2's batch only: 3 peers x 1 batch in total.
    long acks = 0;
    for (int v = 0; v < 4; v++) {
      acks += workers.get(v).acksSent();
    }
    assertThat(acks).isEqualTo(3);
  }

  /**
   * A store whose next write fails like a full disk, and which records every batch it is handed: a
   * batch handed over twice is the use-after-free that crashed RocksDB (the store consumes a batch
   * even when the write fails).
   */
  static final class FailingStore implements dev.agentledger.node.storage.Store {
    final InMemoryStore memory = new InMemoryStore();
    final java.util.Set<dev.agentledger.node.storage.WriteBatch> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    boolean failNext;
    boolean reused;

    @Override
    public void write(
        dev.agentledger.node.storage.WriteBatch batch,
        dev.agentledger.node.storage.Durability durability) {
      if (!seen.add(batch)) {
        reused = true;
      }
      if (failNext) {
        failNext = false;
        throw new dev.agentledger.node.storage.StoreException("No space left on device", null);
      }
      memory.write(batch, durability);
    }

    @Override
    public <K, V> V get(dev.agentledger.node.storage.Column<K, V> column, K key) {
      return memory.get(column, key);
    }

    @Override
    public dev.agentledger.node.storage.WriteBatch newBatch() {
      return memory.newBatch();
    }

    @Override
    public <K, V> void scan(
        dev.agentledger.node.storage.Column<K, V> column, K fromKey, BiPredicate<K, V> visitor) {
      memory.scan(column, fromKey, visitor);
    }

    @Override
    public void close() {
      memory.close();
    }
  }

  @Test
  void aFailedWriteNeverLeavesTheConsumedBatchForTheNextCycle() {
    FailingStore store = new FailingStore();
    Mempool mempool = new Mempool(new MempoolConfig(1000, 100, 100, 100, 0, 0, 16, 0, 0));
    mempools.set(0, mempool);
    Worker worker =
        new Worker(
            0,
            CHAIN,
            committee,
            TestKeys.key(0),
            store,
            mempool,
            new WorkerConfig(8, 5 * MS, 100 * MS, 4),
            (peer, frame, offset, length) -> true,
            batch -> {},
            new SingleEd25519Verifier(),
            new CertificateVerifier(committee, CHAIN, new VerifiedCertificates(64)));
    offer(0, 1, 8);
    worker.onTick(10 * MS);
    store.failNext = true;
    org.assertj.core.api.Assertions.assertThatThrownBy(worker::flush)
        .isInstanceOf(dev.agentledger.node.storage.StoreException.class);
    offer(0, 2, 8);
    worker.onTick(20 * MS);
    worker.flush();
    assertThat(store.reused).as("the failed cycle's batch was handed to the store again").isFalse();
  }

  @Test
  void aPartialBatchWaitsWhileOneIsInFlightThenCarriesEverythingThatWaited() {
    boolean[] acksToZeroLost = {true};
    drop = (f, type) -> type == MessageType.BATCH_ACK && f.to() == 0 && acksToZeroLost[0];
    Worker w = workers.get(0);
    offer(0, 1, 3);
    run(0);
    run(10 * MS); // the delay passed with nothing in flight: a partial batch of 3
    assertThat(w.sealedBatches()).isEqualTo(1);
    assertThat(w.pendingBatches()).as("its acknowledgements are lost").isEqualTo(1);

    offer(0, 2, 3);
    run(20 * MS);
    run(40 * MS); // the delay passed again, but a batch is in flight: no second partial batch
    assertThat(w.sealedBatches()).isEqualTo(1);
    assertThat(mempools.get(0).readyCount()).isEqualTo(3);

    offer(0, 3, 8); // a full batch is sealed even while one is in flight
    run(50 * MS);
    assertThat(w.sealedBatches()).isEqualTo(2);
    assertThat(w.sealedTxs()).isEqualTo(11);

    acksToZeroLost[0] = false;
    run(200 * MS); // the resent batches are acknowledged and certified; the waiting runs go out
    run(300 * MS);
    assertThat(w.sealedBatches()).isEqualTo(3);
    assertThat(w.pendingBatches()).isZero();
    for (int v = 0; v < 4; v++) {
      assertThat(delivered.get(v).stream().mapToInt(BatchCertificate::txCount).sum())
          .as("validator %d", v)
          .isEqualTo(14);
    }
  }

  @Test
  void withMorePartialBatchesInFlightAllowedEachDelaySealsOne() {
    Mempool mempool = new Mempool(new MempoolConfig(1000, 100, 100, 100, 0, 0, 16, 0, 0));
    List<byte[]> sent = new ArrayList<>();
    Worker w =
        new Worker(
            0,
            CHAIN,
            committee,
            TestKeys.key(0),
            new InMemoryStore(),
            mempool,
            new WorkerConfig(8, 5 * MS, 100 * MS, 4, 2),
            (peer, frame, offset, length) -> sent.add(new byte[length]),
            c -> {},
            new SingleEd25519Verifier(),
            new CertificateVerifier(committee, CHAIN, new VerifiedCertificates(64)));
    mempools.set(0, mempool);
    offer(0, 1, 1);
    w.onTick(0);
    w.onTick(10 * MS);
    offer(0, 2, 1);
    w.onTick(20 * MS);
    w.onTick(30 * MS);
    offer(0, 3, 1);
    w.onTick(40 * MS);
    w.onTick(50 * MS);
    w.flush();
    // No peer answers: two partial batches go out (the limit), the third run waits.
    assertThat(w.sealedBatches()).isEqualTo(2);
    assertThat(mempool.readyCount()).isEqualTo(1);
  }

  @Test
  void aWorkerConfigOutsideItsBoundsIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WorkerConfig(8, MS, MS, 4, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPartialInFlight must be 1..4");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WorkerConfig(8, MS, MS, 4, 5))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WorkerConfig(0, MS, MS, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchSizeTxs");
    assertThat(new WorkerConfig(8, MS, MS, 4).maxPartialInFlight())
        .isEqualTo(WorkerConfig.DEFAULT_MAX_PARTIAL_IN_FLIGHT);
  }

  @Test
  void theSameRunsSealedTwiceByOneAuthorAreTwoBatchesCertifiedEverywhere() {
    // Execution refused these 8 runs (their nonces were ahead) and validator 0 took them back:
    // the second sealing holds exactly the same transactions, in the same order.
    List<byte[]> runs = offer(0, 1, 8);
    run(0);
    for (byte[] r : runs) {
      assertThat(mempools.get(0).requeue(new UnsafeBuffer(r), 0, 0))
          .isEqualTo(dev.agentledger.node.mempool.core.Admission.ADMITTED);
    }
    run(10 * MS);
    for (int v = 0; v < 4; v++) {
      List<BatchCertificate> certified = delivered.get(v);
      assertThat(certified).as("validator %d delivers both sealings", v).hasSize(2);
      assertThat(certified).extracting(BatchCertificate::seq).containsExactlyInAnyOrder(0L, 1L);
      byte[] first = certified.get(0).digest();
      byte[] second = certified.get(1).digest();
      assertThat(first).as("validator %d", v).isNotEqualTo(second);
      assertThat(stores.get(v).get(Worker.BATCHES, first)).isNotNull();
      assertThat(stores.get(v).get(Worker.BATCHES, second)).isNotNull();
    }
  }

  @Test
  void digestBindsAuthorSequenceAndTransactions() {
    List<byte[]> runs = offer(0, 1, 3);
    UnsafeBuffer records = new UnsafeBuffer(new byte[runs.size() * Wire.RECORD]);
    for (int i = 0; i < runs.size(); i++) {
      records.putBytes(i * Wire.RECORD, runs.get(i));
    }
    BatchDigester digester = new BatchDigester();
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    digester.digest(1, 7, records, 0, 3, a);
    digester.digest(1, 8, records, 0, 3, b);
    assertThat(a).as("another sequence number").isNotEqualTo(b);
    digester.digest(2, 7, records, 0, 3, b);
    assertThat(a).as("another author").isNotEqualTo(b);
    digester.digest(1, 7, records, 0, 2, b);
    assertThat(a).as("other transactions").isNotEqualTo(b);
    digester.digest(1, 7, records, 0, 3, b);
    assertThat(a).as("deterministic").isEqualTo(b);
    // SHA-256(0x02 | author u16 LE | seq u64 LE | tx_root), tx_root the RFC 6962 head.
    byte[] root = new byte[32];
    digester.transactionRoot(records, 0, 3, root, 0);
    java.nio.ByteBuffer identity =
        java.nio.ByteBuffer.allocate(43).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    identity.put((byte) 2).putShort((short) 1).putLong(7).put(root);
    assertThat(a).isEqualTo(dev.agentledger.hash.Sha256.digest(identity.array()));
  }

  @Test
  void aPeerBatchUnderItsOldDigestOrAnotherSequenceIsRefused() {
    List<byte[]> runs = offer(0, 1, 2);
    UnsafeBuffer frame = new UnsafeBuffer(new byte[Wire.MAX_PEER_FRAME]);
    int recordsAt = Wire.HEADER_LENGTH + Wire.BATCH_RECORDS;
    for (int i = 0; i < runs.size(); i++) {
      frame.putBytes(recordsAt + i * Wire.RECORD, runs.get(i));
    }
    BatchDigester digester = new BatchDigester();
    byte[] digest = new byte[32];
    PeerBatchCheck check = new PeerBatchCheck(1, CHAIN, 4);
    digester.digest(0, 5, frame, recordsAt, 2, digest);
    Wire.batchHeader(frame, 0, 0, 5, digest, 2);
    assertThat(check.check(frame, 0)).isEqualTo(PeerBatchCheck.Result.OK);
    Wire.batchHeader(frame, 0, 0, 6, digest, 2);
    assertThat(check.check(frame, 0))
        .as("replayed as another sequence")
        .isEqualTo(PeerBatchCheck.Result.BAD_DIGEST);
    digester.transactionRoot(frame, recordsAt, 2, digest, 0);
    Wire.batchHeader(frame, 0, 0, 6, digest, 2);
    assertThat(check.check(frame, 0))
        .as("batch format 1")
        .isEqualTo(PeerBatchCheck.Result.OLD_FORMAT);
  }

  @Test
  void aStoreOfBatchFormatOneIsRefusedAndANewOneIsMarked() {
    InMemoryStore fresh = new InMemoryStore();
    Worker worker = worker(fresh);
    worker.flush();
    assertThat(fresh.get(Worker.META_SEQ, Worker.BATCH_FORMAT_KEY))
        .isEqualTo((long) BatchDigester.FORMAT);
    worker(fresh); // reopens

    InMemoryStore old = new InMemoryStore();
    old.put(
        Worker.BATCHES,
        new byte[32],
        new byte[] {1},
        dev.agentledger.node.storage.Durability.SYNCED);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> worker(old))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "the store holds worker batches of batch format 1; this node reads batch format 2"
                + " (start from an empty data directory)");
  }

  Worker worker(dev.agentledger.node.storage.Store store) {
    return new Worker(
        0,
        CHAIN,
        committee,
        TestKeys.key(0),
        store,
        new Mempool(new MempoolConfig(1000, 100, 100, 100, 0, 0, 16, 0, 0)),
        new WorkerConfig(8, 5 * MS, 100 * MS, 4),
        (peer, frame, offset, length) -> true,
        batch -> {},
        new SingleEd25519Verifier(),
        new CertificateVerifier(committee, CHAIN, new VerifiedCertificates(64)));
  }
}
