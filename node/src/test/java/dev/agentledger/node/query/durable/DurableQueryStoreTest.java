package dev.agentledger.node.query.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.commit.CommitCertificate;
import dev.agentledger.node.commit.CommitRecord;
import dev.agentledger.node.commit.CommitSignature;
import dev.agentledger.node.execution.core.ExecutionCode;
import dev.agentledger.node.execution.core.Receipt;
import dev.agentledger.node.execution.state.SmtStateStore;
import dev.agentledger.node.query.StoredCommit;
import dev.agentledger.node.query.memory.InMemoryQueryStore;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.memory.InMemoryStore;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * {@link DurableQueryStore} against {@link InMemoryQueryStore}: the same random workload (commits
 * with repeated transaction ids, receipts in both stored forms, out-of-order certificates, run
 * appends for a few agents) gives the same answer to every query, before and after the RocksDB
 * store is closed and reopened.
 */
class DurableQueryStoreTest {
  private static final ExecutionCode[] CODES = ExecutionCode.values();

  @Property(tries = 8)
  void answersLikeTheInMemoryStoreAcrossReopen(@ForAll long seed) throws IOException {
    Path dir = Files.createTempDirectory("durable-query");
    try {
      Random random = new Random(seed);
      InMemoryQueryStore expected = new InMemoryQueryStore();
      List<byte[]> agents = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        agents.add(bytes(random, 32));
      }
      List<byte[]> seenIds = new ArrayList<>();
      long sequence = 0;
      for (int round = 0; round < 2; round++) {
        try (RocksDbStore store = RocksDbStore.open(dir)) {
          SmtStateStore state = SmtStateStore.durable(store);
          DurableQueryStore actual = new DurableQueryStore(store, state);
          if (round == 1) {
            assertSame(expected, actual, agents, seenIds, random);
          }
          for (int c = 0; c < 8; c++) {
            sequence++;
            StoredCommit commit = randomCommit(random, sequence, state, store, seenIds);
            expected.putCommit(commit);
            actual.putCommit(commit);
            for (int r = random.nextInt(4); r > 0; r--) {
              byte[] agent = agents.get(random.nextInt(agents.size()));
              byte[] tx = bytes(random, 32);
              expected.appendRun(agent, tx);
              actual.appendRun(agent, tx);
            }
            long certify = 1 + random.nextInt((int) sequence);
            if (random.nextInt(3) > 0
                && expected.commit(certify).orElseThrow().certificate() == null) {
              CommitCertificate certificate =
                  randomCertificate(random, expected.commit(certify).orElseThrow().hash());
              expected.putCertificate(certify, certificate);
              actual.putCertificate(certify, certificate);
            }
          }
          assertSame(expected, actual, agents, seenIds, random);
        }
      }
    } finally {
      delete(dir);
    }
  }

  @Test
  void certificateForAnUnknownCommitIsRefusedAndStateMustBeTheStoresOwn() {
    try (Store store = new InMemoryStore()) {
      SmtStateStore state = SmtStateStore.durable(store);
      DurableQueryStore queries = new DurableQueryStore(store, state);
      assertThatThrownBy(
              () -> queries.putCertificate(1, randomCertificate(new Random(1), new byte[32])))
          .isInstanceOf(IllegalArgumentException.class);
      Store otherStore = new InMemoryStore();
      SmtStateStore other = SmtStateStore.durable(otherStore);
      StoredCommit commit = randomCommit(new Random(2), 1, other, otherStore, new ArrayList<>());
      assertThatThrownBy(() -> queries.putCommit(commit))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(queries.latestSequence()).isZero();
    }
  }

  @Test
  void storedCommitEncodingRejectsTruncationAndTrailingBytes() {
    try (Store store = new InMemoryStore()) {
      SmtStateStore state = SmtStateStore.durable(store);
      StoredCommit commit = randomCommit(new Random(3), 1, state, store, new ArrayList<>());
      byte[] encoded = QueryCodec.encodeCommit(commit, 0);
      QueryCodec.DecodedCommit decoded = QueryCodec.decodeCommit(encoded);
      assertThat(decoded.record().encode()).isEqualTo(commit.record().encode());
      for (int cut : new int[] {1, 9, 20, encoded.length / 2, encoded.length - 1}) {
        assertThatThrownBy(() -> QueryCodec.decodeCommit(Arrays.copyOf(encoded, cut)))
            .isInstanceOf(IllegalArgumentException.class);
      }
      assertThatThrownBy(() -> QueryCodec.decodeCommit(Arrays.copyOf(encoded, encoded.length + 1)))
          .isInstanceOf(IllegalArgumentException.class);
      byte[] certificate =
          QueryCodec.encodeCertificate(randomCertificate(new Random(4), new byte[32]));
      assertThatThrownBy(
              () ->
                  QueryCodec.decodeCertificate(Arrays.copyOf(certificate, certificate.length - 1)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static void assertSame(
      InMemoryQueryStore expected,
      DurableQueryStore actual,
      List<byte[]> agents,
      List<byte[]> ids,
      Random random) {
    assertThat(actual.latestSequence()).isEqualTo(expected.latestSequence());
    assertThat(actual.latestCertifiedSequence()).isEqualTo(expected.latestCertifiedSequence());
    for (long s = 0; s <= expected.latestSequence() + 1; s++) {
      var want = expected.commit(s);
      var got = actual.commit(s);
      assertThat(got.isPresent()).isEqualTo(want.isPresent());
      if (want.isEmpty()) {
        continue;
      }
      StoredCommit w = want.get();
      StoredCommit g = got.get();
      assertThat(g.record().encode()).isEqualTo(w.record().encode());
      assertThat(g.hash()).isEqualTo(w.hash());
      assertThat(g.transactions()).containsExactlyElementsOf(w.transactions());
      assertThat(g.txIds()).containsExactlyElementsOf(w.txIds());
      assertThat(g.receipts())
          .usingRecursiveFieldByFieldElementComparator()
          .containsExactlyElementsOf(w.receipts());
      assertThat(g.state().root()).isEqualTo(w.record().stateRoot());
      assertThat(g.certificate() == null).isEqualTo(w.certificate() == null);
      if (w.certificate() != null) {
        assertThat(g.certificate().commitHash()).isEqualTo(w.certificate().commitHash());
        assertThat(g.certificate().signatures())
            .usingRecursiveFieldByFieldElementComparator()
            .containsExactlyElementsOf(w.certificate().signatures());
      }
    }
    List<byte[]> probes = new ArrayList<>(ids);
    probes.add(bytes(random, 32));
    for (byte[] id : probes) {
      assertThat(actual.locate(id)).isEqualTo(expected.locate(id));
    }
    List<byte[]> owners = new ArrayList<>(agents);
    owners.add(bytes(random, 32));
    for (byte[] agent : owners) {
      long count = expected.runCount(agent);
      assertThat(actual.runCount(agent)).isEqualTo(count);
      for (long from = 0; from <= count + 1; from += 1 + random.nextInt(3)) {
        int limit = random.nextInt(5);
        assertThat(actual.runs(agent, from, limit))
            .containsExactlyElementsOf(expected.runs(agent, from, limit));
      }
    }
  }

  /** A commit whose state is a fresh version of {@code state} (written), some ids repeated. */
  static StoredCommit randomCommit(
      Random random, long sequence, SmtStateStore state, Store store, List<byte[]> seenIds) {
    int n = random.nextInt(6);
    List<byte[]> txs = new ArrayList<>();
    List<byte[]> ids = new ArrayList<>();
    List<Receipt> receipts = new ArrayList<>();
    boolean foreignReceiptIds = random.nextInt(4) == 0;
    for (int i = 0; i < n; i++) {
      txs.add(bytes(random, random.nextInt(300)));
      byte[] id =
          !seenIds.isEmpty() && random.nextInt(5) == 0
              ? seenIds.get(random.nextInt(seenIds.size()))
              : bytes(random, 32);
      seenIds.add(id);
      ids.add(id);
      receipts.add(
          new Receipt(
              foreignReceiptIds ? bytes(random, 32) : id,
              random.nextInt(5),
              CODES[random.nextInt(CODES.length)],
              random.nextLong()));
    }
    state.put(bytes(random, 32), bytes(random, 1 + random.nextInt(40)));
    SmtStateStore.Version version = state.snapshot();
    state.persist(store, Durability.BUFFERED);
    List<byte[]> digests = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--) {
      digests.add(bytes(random, 32));
    }
    CommitRecord record =
        new CommitRecord(
            7,
            sequence,
            random.nextInt(1000),
            bytes(random, 32),
            bytes(random, 32),
            bytes(random, 32),
            n,
            bytes(random, 32),
            version.root(),
            digests);
    CommitCertificate certificate =
        random.nextInt(6) == 0 ? randomCertificate(random, record.hash()) : null;
    return new StoredCommit(record, record.hash(), txs, ids, receipts, version, certificate);
  }

  static CommitCertificate randomCertificate(Random random, byte[] hash) {
    List<CommitSignature> signatures = new ArrayList<>();
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      signatures.add(new CommitSignature(bytes(random, 32), bytes(random, 64)));
    }
    return new CommitCertificate(hash, signatures);
  }

  static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
