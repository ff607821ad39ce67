package dev.agentledger.node.execution;

import static dev.agentledger.node.execution.LedgerFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.commit.CommitSignature;
import dev.agentledger.node.events.EventLog;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.StateKeys;
import dev.agentledger.node.metrics.MetricsRegistry;
import dev.agentledger.node.proof.LedgerProof;
import dev.agentledger.node.proof.ProofVerifier;
import dev.agentledger.node.proof.StateSubject;
import dev.agentledger.node.query.ProofService;
import dev.agentledger.node.query.QueryStore;
import dev.agentledger.node.query.StoredCommit;
import dev.agentledger.node.storage.Column;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.StoreException;
import dev.agentledger.node.storage.WriteBatch;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable execution stage on RocksDB: closed and reopened mid-stream it resumes with the same
 * state root, last sequence, query answers and proofs, and continues to exactly the commits of an
 * uninterrupted run; a commit whose single write never happened is absent whole (state, totals,
 * query entries) and is simply executed again.
 */
class DurableExecutionTest {
  private static final Ed25519KeyPair[] VALIDATORS = LedgerHarness.VALIDATORS;
  private static final List<Ed25519KeyPair> SIGNERS =
      List.of(ADMIN, OPERATOR, AGENT, AGENT2, AUDITOR, STRANGER);

  @TempDir Path dir;

  /**
   * The uninterrupted reference: the in-memory stage over the same stream, every commit certified.
   */
  private static LedgerHarness reference(List<CommittedInput> stream) {
    LedgerHarness h = new LedgerHarness();
    for (CommittedInput input : stream) {
      h.stage.execute(input);
      long s = input.sequence();
      if (s >= 13 && s <= 15) {
        certify(h.stage, h.store, s, 1, 3); // as the restart test certifies them
      } else {
        certify(h.stage, h.store, s, 1, 2, 3);
      }
    }
    return h;
  }

  private static void certify(
      ExecutionStage stage, QueryStore store, long sequence, int... cosigners) {
    byte[] hash = store.commit(sequence).orElseThrow().hash();
    for (int v : cosigners) {
      stage.addSignature(sequence, CommitSignature.sign(VALIDATORS[v], hash));
    }
  }

  private static ExecutionStage open(Store store) {
    return ExecutionStage.durable(
        genesis(),
        store,
        LedgerHarness.COMMITTEE,
        VALIDATORS[0],
        new EventLog(),
        new MetricsRegistry(),
        true,
        System::nanoTime);
  }

  /**
   * Every answer a client could ask for, as text: commit records, certificates, tx and state
   * proofs.
   */
  private static List<String> answers(QueryStore store, long upTo) {
    List<String> out = new ArrayList<>();
    ProofService proofs = new ProofService(store);
    out.add("latest " + store.latestSequence() + " certified " + store.latestCertifiedSequence());
    for (long s = 1; s <= upTo; s++) {
      StoredCommit c = store.commit(s).orElseThrow();
      out.add(
          s
              + " "
              + java.util.HexFormat.of().formatHex(c.record().encode())
              + " cert "
              + (c.certificate() != null));
      for (byte[] id : c.txIds()) {
        out.add("locate " + store.locate(id).orElseThrow());
        if (c.certificate() != null) {
          LedgerProof.Transaction proof = proofs.transaction(id).orElseThrow();
          assertThat(ProofVerifier.verify(LedgerHarness.COMMITTEE, proof).valid()).isTrue();
          out.add(proof.toJson().toString());
        }
      }
    }
    for (Ed25519KeyPair signer : SIGNERS) {
      byte[] key = signer.publicKey();
      out.add(
          "runs "
              + store.runCount(key)
              + " "
              + store.runs(key, 1, 3).stream().map(java.util.HexFormat.of()::formatHex).toList());
      for (StateSubject subject :
          List.of(
              new StateSubject.Account(key), new StateSubject.Usage(StateKeys.SCOPE_AGENT, key))) {
        LedgerProof.State proof = proofs.state(subject);
        assertThat(ProofVerifier.verify(LedgerHarness.COMMITTEE, proof).valid()).isTrue();
        out.add(proof.toJson().toString());
      }
    }
    return out;
  }

  @Test
  void reopenedStoreResumesWithTheSameRootsAnswersAndProofsAndContinuesLikeAnUninterruptedRun() {
    List<CommittedInput> stream = DeterminismTest.stream(11, 30);
    LedgerHarness reference = reference(stream);
    List<String> before;
    byte[] rootBefore;
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      ExecutionStage stage = open(store);
      assertThat(stage.lastSequence()).isZero();
      for (CommittedInput input : stream.subList(0, 15)) {
        stage.execute(input);
        if (input.sequence() <= 12) { // 13..15 stay uncertified across the restart
          certify(stage, stage.queryStore(), input.sequence(), 1, 2, 3);
        }
      }
      rootBefore = stage.stateRoot();
      before = answers(stage.queryStore(), 15);
    }
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      ExecutionStage stage = open(store);
      assertThat(stage.lastSequence()).isEqualTo(15);
      assertThat(stage.stateRoot()).isEqualTo(rootBefore);
      assertThat(answers(stage.queryStore(), 15)).containsExactlyElementsOf(before);
      // Proofs against an older certified root still hold (commit 5's state version).
      StoredCommit old = stage.queryStore().commit(5).orElseThrow();
      byte[] key = StateKeys.account(AGENT.publicKey());
      assertThat(old.state().prove(key).verify(old.record().stateRoot(), old.state().get(key)))
          .isTrue();
      assertThat(old.state().root())
          .isEqualTo(reference.store.commit(5).orElseThrow().record().stateRoot());
      // The uncertified commits collect signatures again after the restart, this validator's own
      // included (stakes 10 + 20 + 40 make a quorum; 20 + 40 alone would not).
      for (long s = 13; s <= 15; s++) {
        assertThat(stage.queryStore().commit(s).orElseThrow().certificate()).isNull();
        certify(stage, stage.queryStore(), s, 1, 3);
        assertThat(stage.queryStore().commit(s).orElseThrow().certificate()).isNotNull();
      }
      for (CommittedInput input : stream.subList(15, 30)) {
        stage.execute(input);
        certify(stage, stage.queryStore(), input.sequence(), 1, 2, 3);
      }
      assertThat(stage.stateRoot()).isEqualTo(reference.stage.stateRoot());
      assertThat(answers(stage.queryStore(), 30))
          .containsExactlyElementsOf(answers(reference.store, 30));
    }
  }

  @Test
  void aCommitWhoseWriteNeverHappenedIsAbsentWholeAndExecutesAgain() {
    List<CommittedInput> stream = DeterminismTest.stream(23, 12);
    LedgerHarness reference = reference(stream);
    try (RocksDbStore rocks = RocksDbStore.open(dir)) {
      CrashingStore store = new CrashingStore(rocks);
      ExecutionStage stage = open(store);
      for (CommittedInput input : stream.subList(0, 7)) {
        stage.execute(input);
        certify(stage, stage.queryStore(), input.sequence(), 1, 2, 3);
      }
      store.crashOnNextWrite = true;
      assertThatThrownBy(() -> stage.execute(stream.get(7))).isInstanceOf(StoreException.class);
    }
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      ExecutionStage stage = open(store);
      assertThat(stage.lastSequence()).isEqualTo(7);
      assertThat(stage.queryStore().latestSequence()).isEqualTo(7);
      assertThat(stage.queryStore().commit(8)).isEmpty();
      for (byte[] id : reference.store.commit(8).orElseThrow().txIds()) {
        if (reference.store.locate(id).orElseThrow().sequence() == 8) {
          assertThat(stage.queryStore().locate(id)).isEmpty();
        }
      }
      assertThat(stage.stateRoot())
          .isEqualTo(reference.store.commit(7).orElseThrow().record().stateRoot());
      for (CommittedInput input : stream.subList(7, 12)) {
        stage.execute(input);
        certify(stage, stage.queryStore(), input.sequence(), 1, 2, 3);
      }
      assertThat(answers(stage.queryStore(), 12))
          .containsExactlyElementsOf(answers(reference.store, 12));
    }
  }

  @Test
  void readersOnOtherThreadsOnlyEverSeeWholeCommitsWhileTheWriterExecutes() throws Exception {
    List<CommittedInput> stream = DeterminismTest.stream(31, 40);
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      ExecutionStage stage = open(store);
      QueryStore queries = stage.queryStore();
      java.util.concurrent.atomic.AtomicBoolean done =
          new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicLong checks = new java.util.concurrent.atomic.AtomicLong();
      List<java.util.concurrent.Future<?>> readers = new ArrayList<>();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(2);
      byte[] key = StateKeys.account(AGENT.publicKey());
      try {
        for (int r = 0; r < 2; r++) {
          readers.add(
              pool.submit(
                  () -> {
                    long mine = 0;
                    while (!done.get()
                        || mine == 0) { // at least one check, after the last commit if not before
                      long s = queries.latestSequence();
                      if (s == 0) {
                        if (done.get()) {
                          break; // the writer failed before its first commit
                        }
                        continue;
                      }
                      StoredCommit c = queries.commit(s).orElseThrow();
                      assertThat(c.state().root()).isEqualTo(c.record().stateRoot());
                      byte[] value = c.state().get(key);
                      assertThat(c.state().prove(key).verify(c.record().stateRoot(), value))
                          .isTrue();
                      for (int i = 0; i < c.txIds().size(); i++) {
                        assertThat(queries.locate(c.txIds().get(i)).orElseThrow().sequence())
                            .isLessThanOrEqualTo(s);
                      }
                      checks.incrementAndGet();
                      mine++;
                    }
                    return null;
                  }));
        }
        for (CommittedInput input : stream) {
          stage.execute(input);
          certify(stage, queries, input.sequence(), 1, 2, 3);
        }
      } finally {
        done.set(true);
        for (java.util.concurrent.Future<?> f : readers) {
          f.get(); // rethrows a reader's failed assertion
        }
        pool.shutdown();
      }
      assertThat(checks.get()).isPositive();
    }
  }

  /** The real store, whose next write can be made to fail before anything reaches it (a crash). */
  private static final class CrashingStore implements Store {
    private final Store delegate;
    boolean crashOnNextWrite;

    CrashingStore(Store delegate) {
      this.delegate = delegate;
    }

    @Override
    public <K, V> V get(Column<K, V> column, K key) {
      return delegate.get(column, key);
    }

    @Override
    public WriteBatch newBatch() {
      return delegate.newBatch();
    }

    @Override
    public void write(WriteBatch batch, Durability durability) {
      if (crashOnNextWrite) {
        batch.close();
        throw new StoreException("simulated crash before the write", null);
      }
      delegate.write(batch, durability);
    }

    @Override
    public <K, V> void scan(Column<K, V> column, K fromKey, BiPredicate<K, V> visitor) {
      delegate.scan(column, fromKey, visitor);
    }

    @Override
    public void close() {}
  }

  /**
   * With three state versions retained: proofs against retained certified commits verify, an older
   * commit's state answers "pruned" with the horizon (410, JSON, through the query API), and under
   * sustained commits the store's size on disk stops growing (old roots and before-images go, the
   * newest values are overwritten in place: entries grow with the live keys, not with commits).
   */
  @Test
  void prunedVersionsAnswerPrunedAndDiskStaysBounded() throws Exception {
    List<CommittedInput> stream = DeterminismTest.stream(31, 400);
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      ExecutionStage stage =
          ExecutionStage.durable(
              genesis(),
              store,
              ExecutionStage.StateSettings.DEFAULTS.withRetainVersions(3),
              LedgerHarness.COMMITTEE,
              VALIDATORS[0],
              new EventLog(),
              new MetricsRegistry(),
              true,
              System::nanoTime);
      long valueEntriesAt100 = 0;
      for (CommittedInput input : stream) {
        stage.execute(input);
        certify(stage, stage.queryStore(), input.sequence(), 1, 2, 3);
        if (input.sequence() == 100) {
          long[] count = new long[1];
          store.scan(
              dev.agentledger.node.storage.StateLayout.VALUES,
              null,
              (k, v) -> {
                count[0]++;
                return true;
              });
          valueEntriesAt100 = count[0];
        }
      }
      ProofService proofs = new ProofService(stage.queryStore());
      StateSubject subject = new StateSubject.Account(AGENT.publicKey());
      for (long s = 398; s <= 400; s++) {
        LedgerProof.State proof = proofs.state(subject, s);
        assertThat(ProofVerifier.verify(LedgerHarness.COMMITTEE, proof).valid()).isTrue();
      }
      assertThatThrownBy(() -> proofs.state(subject, 300))
          .isInstanceOf(dev.agentledger.node.execution.state.PrunedStateException.class);
      dev.agentledger.node.query.QueryApi api =
          new dev.agentledger.node.query.QueryApi(
              proofs, LedgerHarness.COMMITTEE, new EventLog(), new MetricsRegistry());
      var answer =
          api.handle(
              "GET",
              "/v1/accounts/" + java.util.HexFormat.of().formatHex(AGENT.publicKey()),
              java.util.Map.of("commit", "300"),
              System::nanoTime);
      assertThat(answer.status()).isEqualTo(410);
      assertThat(new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8))
          .contains("\"error\":\"pruned\"")
          .contains("\"horizonVersion\"");
      assertThat(
              api.handle(
                      "GET",
                      "/v1/accounts/" + java.util.HexFormat.of().formatHex(AGENT.publicKey()),
                      java.util.Map.of("commit", "399"),
                      System::nanoTime)
                  .status())
          .isEqualTo(200);
      // On disk the state keeps one entry per live key (no copy per version), the roots of the
      // retained versions and the log records of the retained versions and of those after the
      // last checkpoint only, however many commits ran.
      long[] versionEntries = new long[1];
      store.scan(
          dev.agentledger.node.storage.StateLayout.META,
          null,
          (k, v) -> {
            String name = new String(k, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (name.startsWith("smt/root/") || name.startsWith("smt/delta/")) {
              versionEntries[0]++;
            }
            return true;
          });
      assertThat(versionEntries[0])
          .isLessThanOrEqualTo(
              3
                  + 1
                  + dev.agentledger.node.execution.state.SmtStateStore.DEFAULT_CHECKPOINT_VERSIONS
                  + 1);
      long[] valueEntries = new long[1];
      store.scan(
          dev.agentledger.node.storage.StateLayout.VALUES,
          null,
          (k, v) -> {
            valueEntries[0]++;
            return true;
          });
      assertThat(valueEntries[0]).isLessThan(valueEntriesAt100 * 5);
    }
  }
}
