package dev.agentledger.node.consensus;

import dev.agentledger.node.consensus.core.Batch;
import dev.agentledger.node.consensus.core.Certificate;
import dev.agentledger.node.consensus.core.CommittedSubDag;
import dev.agentledger.node.consensus.core.ConsensusCodec;
import dev.agentledger.node.consensus.core.ConsensusStore;
import dev.agentledger.node.consensus.core.Digest;
import dev.agentledger.node.consensus.core.Vertex;
import dev.agentledger.node.storage.Column;
import dev.agentledger.node.storage.ColumnFamily;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.WriteBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link ConsensusStore} over the node's {@link Store} (RocksDB in production), in the {@code
 * consensus} column family with one key prefix per kind:
 *
 * <pre>
 *   'C' digest               certificate (ConsensusCodec form)
 *   'R' u64 round u16 author digest of the certificate of that slot (ordered scan by round)
 *   'B' digest               batch payload (a worker batch certificate)
 *   'V' u64 round            own vertex of that round (as a certificate with no votes)
 *   'T' u16 author           last vote cast for that author: u64 round | digest
 *   'S' u64 index            committed sub-DAG: u64 schedule version | anchor digest | n | digests
 *   'F'                      the format of this column: {@link #FORMAT} (one byte)
 * </pre>
 *
 * Format 2 holds vertices with weak links ({@link ConsensusCodec}); a column of format 1 (no 'F'
 * key, vertices without weak links) is refused when the store is opened.
 *
 * <p>What prevents equivocation or a changed commit after a restart (own vertices, votes, commits)
 * is written synced; certificates and batches, which peers can serve again, survive a process crash
 * through the write-ahead log (buffered). Votes come in groups ({@link #putVotes}, or riding in the
 * own proposal's or a commit's write): one fsync for all the votes a duty cycle of the primary
 * casts.
 */
public final class StoreConsensusStore implements ConsensusStore {
  static final Column<byte[], byte[]> COLUMN = Column.raw(ColumnFamily.CONSENSUS);

  /** The format this class writes and reads. */
  public static final byte FORMAT = 2;

  private static final byte[] FORMAT_KEY = {'F'};
  private final Store store;
  private volatile long writes;
  private volatile long syncedWrites;

  /**
   * Opens the consensus column of {@code store}, marking an empty one with {@link #FORMAT}.
   *
   * @throws IllegalStateException one line naming both formats, for a column of another format
   */
  public StoreConsensusStore(Store store) {
    this.store = store;
    byte[] format = store.get(COLUMN, FORMAT_KEY);
    if (format == null) {
      boolean[] holds = {false};
      store.scan(COLUMN, null, (k, v) -> !(holds[0] = true));
      if (!holds[0]) {
        store.put(COLUMN, FORMAT_KEY, new byte[] {FORMAT}, Durability.SYNCED);
        return;
      }
      format = new byte[] {1};
    }
    if (format.length != 1 || format[0] != FORMAT) {
      throw new IllegalStateException(
          "the store holds consensus data of format "
              + Byte.toUnsignedInt(format[0])
              + "; this node reads format "
              + FORMAT
              + " (start from an empty data directory)");
    }
  }

  private static byte[] key(char kind, int extra) {
    byte[] k = new byte[1 + extra];
    k[0] = (byte) kind;
    return k;
  }

  private static byte[] digestKey(char kind, Digest d) {
    byte[] k = key(kind, 32);
    d.writeTo(k, 1);
    return k;
  }

  private static byte[] roundKey(char kind, long round) {
    return ByteBuffer.wrap(key(kind, 8)).put(1, longBytes(round)).array();
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  @Override
  public void putCertificate(Certificate c) {
    try (WriteBatch b = store.newBatch()) {
      b.put(COLUMN, digestKey('C', c.digest()), ConsensusCodec.encodeCertificate(c));
      byte[] slot =
          ByteBuffer.allocate(11)
              .put((byte) 'R')
              .putLong(c.round())
              .putShort((short) c.author())
              .array();
      b.put(COLUMN, slot, c.digest().toBytes());
      store.write(b, Durability.BUFFERED);
      writes++;
    }
  }

  @Override
  public Certificate certificate(Digest digest) {
    byte[] v = store.get(COLUMN, digestKey('C', digest));
    return v == null ? null : ConsensusCodec.decodeCertificate(v);
  }

  @Override
  public List<Certificate> certificatesAbove(long round) {
    List<Certificate> out = new ArrayList<>();
    byte[] from = roundKey('R', Math.max(0, round + 1));
    store.scan(
        COLUMN,
        from,
        (k, v) -> {
          if (k[0] != 'R') {
            return false;
          }
          Certificate c = certificate(Digest.of(v));
          if (c != null) {
            out.add(c);
          }
          return true;
        });
    return out;
  }

  @Override
  public void putBatch(Batch batch) {
    store.put(COLUMN, digestKey('B', batch.digest()), batch.payload(), Durability.BUFFERED);
    writes++;
  }

  @Override
  public Batch batch(Digest digest) {
    byte[] v = store.get(COLUMN, digestKey('B', digest));
    return v == null ? null : new Batch(digest, v);
  }

  @Override
  public void putOwnVertex(Vertex vertex) {
    store.put(COLUMN, roundKey('V', vertex.round()), ownVertexValue(vertex), Durability.SYNCED);
    syncedWrites++;
  }

  /** The own vertex and the own vote for it in one synced write. */
  @Override
  public void putOwnProposal(Vertex vertex) {
    putOwnProposal(vertex, List.of());
  }

  /** The own vertex, the own vote for it and the votes for {@code voted} in one synced write. */
  @Override
  public void putOwnProposal(Vertex vertex, List<Vertex> voted) {
    try (WriteBatch b = store.newBatch()) {
      b.put(COLUMN, roundKey('V', vertex.round()), ownVertexValue(vertex));
      b.put(COLUMN, voteKey(vertex.author()), voteValue(vertex.round(), vertex.digest()));
      putVotes(b, voted);
      store.write(b, Durability.SYNCED);
    }
    syncedWrites++;
  }

  /** The votes for {@code voted} in one synced write (the last one per author wins). */
  @Override
  public void putVotes(List<Vertex> voted) {
    if (voted.isEmpty()) {
      return;
    }
    try (WriteBatch b = store.newBatch()) {
      putVotes(b, voted);
      store.write(b, Durability.SYNCED);
    }
    syncedWrites++;
  }

  private static void putVotes(WriteBatch b, List<Vertex> voted) {
    for (Vertex v : voted) {
      b.put(COLUMN, voteKey(v.author()), voteValue(v.round(), v.digest()));
    }
  }

  private static byte[] ownVertexValue(Vertex vertex) {
    return ConsensusCodec.encodeCertificate(new Certificate(vertex, List.of()));
  }

  private static byte[] voteKey(int author) {
    return ByteBuffer.allocate(3).put((byte) 'T').putShort((short) author).array();
  }

  private static byte[] voteValue(long round, Digest vertex) {
    return ByteBuffer.allocate(40).putLong(round).put(vertex.toBytes()).array();
  }

  @Override
  public Vertex ownVertex(long round) {
    byte[] v = store.get(COLUMN, roundKey('V', round));
    return v == null ? null : ConsensusCodec.decodeCertificate(v).vertex();
  }

  @Override
  public long highestOwnRound() {
    long[] highest = {-1};
    store.scan(
        COLUMN,
        new byte[] {'V'},
        (k, v) -> {
          if (k[0] != 'V') {
            return false;
          }
          highest[0] = ByteBuffer.wrap(k, 1, 8).getLong();
          return true;
        });
    return highest[0];
  }

  @Override
  public void putVote(int author, long round, Digest vertex) {
    store.put(COLUMN, voteKey(author), voteValue(round, vertex), Durability.SYNCED);
    syncedWrites++;
  }

  @Override
  public VoteRecord lastVote(int author) {
    byte[] v = store.get(COLUMN, voteKey(author));
    return v == null
        ? null
        : new VoteRecord(ByteBuffer.wrap(v).getLong(), Digest.of(Arrays.copyOfRange(v, 8, 40)));
  }

  @Override
  public void appendCommitted(CommittedSubDag d) {
    appendCommitted(d, List.of());
  }

  /** The committed sub-DAG and the votes for {@code voted} in one synced write. */
  @Override
  public void appendCommitted(CommittedSubDag d, List<Vertex> voted) {
    ByteBuffer b = ByteBuffer.allocate(8 + 32 + 4 + 32 * d.certificates().size());
    b.putLong(d.scheduleVersion())
        .put(d.anchor().digest().toBytes())
        .putInt(d.certificates().size());
    for (Certificate c : d.certificates()) {
      b.put(c.digest().toBytes());
    }
    try (WriteBatch w = store.newBatch()) {
      w.put(COLUMN, roundKey('S', d.index()), b.array());
      putVotes(w, voted);
      store.write(w, Durability.SYNCED);
    }
    syncedWrites++;
  }

  /** Buffered writes (certificates, batches) made through this store so far. */
  public long bufferedWrites() {
    return writes;
  }

  /** Synced writes (own vertices, votes, committed sub-DAGs) made through this store so far. */
  public long syncedWrites() {
    return syncedWrites;
  }

  @Override
  public List<CommittedSubDag> committed() {
    List<CommittedSubDag> out = new ArrayList<>();
    store.scan(
        COLUMN,
        new byte[] {'S'},
        (k, v) -> {
          if (k[0] != 'S') {
            return false;
          }
          long index = ByteBuffer.wrap(k, 1, 8).getLong();
          ByteBuffer b = ByteBuffer.wrap(v);
          long version = b.getLong();
          byte[] d = new byte[32];
          b.get(d);
          Certificate anchor = requireCertificate(Digest.of(d));
          int n = b.getInt();
          List<Certificate> certs = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            b.get(d);
            certs.add(requireCertificate(Digest.of(d)));
          }
          out.add(new CommittedSubDag(index, anchor, certs, version));
          return true;
        });
    return out;
  }

  private Certificate requireCertificate(Digest d) {
    Certificate c = certificate(d);
    if (c == null) {
      throw new IllegalStateException("committed certificate " + d + " missing from the store");
    }
    return c;
  }
}
