package dev.agentledger.node.worker.core;

import dev.agentledger.hash.merkle.LevelHasher;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.ingress.BatchSignatureVerifier;
import dev.agentledger.node.ingress.RecordVerifier;
import dev.agentledger.node.mempool.core.Mempool;
import dev.agentledger.node.mempool.core.TxSink;
import dev.agentledger.node.net.MessageType;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.storage.Column;
import dev.agentledger.node.storage.ColumnFamily;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.Serializer;
import dev.agentledger.node.storage.Store;
import dev.agentledger.node.storage.WriteBatch;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One validator's worker (Narwhal, Danezis et al., EuroSys 2022, section 4.1 "Batching and
 * availability"), as pure logic driven by events with time passed in:
 *
 * <ul>
 *   <li>{@link #onTick}: seals a batch from the mempool when {@code batchSizeTxs} are ready, or
 *       when the oldest ready transaction waited {@code maxBatchDelayNs} and fewer than {@code
 *       maxPartialInFlight} own batches await certification (so a busy worker seals fewer, larger
 *       batches, clocked by the certification round trip; {@link WorkerConfig}); its digest binds
 *       this author, the batch's sequence number and the RFC 6962 root over the transaction ids
 *       ({@link BatchDigester}), so the same transactions sealed again are a new batch; resends
 *       uncertified batches (backing off exponentially up to 8 x {@code resendNs}) and drives the
 *       {@link BatchFetcher} (missing batches, many in parallel from several holders, a request
 *       retried elsewhere after {@code resendNs}).
 *   <li>{@link #onBatch}: a peer's batch is checked (every record well-formed, digest recomputed,
 *       every record's signature verified as one batch; a forged one refuses the whole batch),
 *       stored, and, when it came from its author, acknowledged with a signature over {@link
 *       BatchCertificate#ackMessage}.
 *   <li>{@link #onAck}: acknowledgements of this worker's batches are verified and summed by stake;
 *       above 2/3 of the stake they form a {@link BatchCertificate}, stored and broadcast.
 *   <li>{@link #onCertificate}: a peer's certificate is verified (this worker's own signature in
 *       it, when equal to the acknowledgement it gave, without a second check); if its batch is not
 *       here yet it is fetched ({@link BatchFetcher}) before the certificate is delivered.
 * </ul>
 *
 * Durability: state changes of one duty cycle collect in one write batch; {@link #flush} writes it
 * synced and only then releases the frames queued during the cycle (acknowledgements, certificates,
 * batches) and the certificate deliveries, so nothing is acknowledged or certified that a crash
 * could lose (a group write).
 */
public final class Worker {
  private static final System.Logger LOG = System.getLogger(Worker.class.getName());
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final int BROADCAST = -1;

  public static final Column<byte[], byte[]> BATCHES = Column.raw(ColumnFamily.BATCHES);
  public static final Column<byte[], byte[]> CERTIFICATES = Column.raw(ColumnFamily.CERTIFICATES);
  public static final Column<String, Long> META_SEQ =
      Column.of(ColumnFamily.META, Serializer.STRING, Serializer.LONG);
  private static final String NEXT_SEQ_KEY = "worker.next_seq";

  /**
   * {@code meta} key of the batch format ({@link BatchDigester#FORMAT}) the stored batches,
   * certificates and committed-batch index are keyed by; absent in a store of batch format 1.
   */
  public static final String BATCH_FORMAT_KEY = "worker.batch_format";

  private final int self;
  private final int chainId;
  private final Committee committee;
  private final Ed25519KeyPair key;
  private final Store store;
  private final Mempool mempool;
  private final WorkerConfig config;
  private final WorkerOutbox outbox;
  private final BatchCertificateSink sink;

  private BatchDigester digester = new BatchDigester();
  private final UnsafeBuffer sealFrame = new UnsafeBuffer(new byte[Wire.MAX_PEER_FRAME]);
  private final UnsafeBuffer scratchFrame = new UnsafeBuffer(new byte[Wire.MAX_PEER_FRAME]);
  private final byte[] ackMessage = new byte[BatchCertificate.ACK_MESSAGE_LENGTH];
  private final byte[] signature = new byte[64];
  private final byte[] digest = new byte[32];
  private final byte[] claimed = new byte[32];
  private final byte[] peerKey = new byte[32];
  private final Sealer sealer = new Sealer();
  private final CertificateVerifier certificates;
  private final PeerBatchCheck batchCheck;
  private final RecordVerifier records;
  private final boolean[] loggedBadAuthor;

  private long nextSeq;
  private long oldestReadySinceNs = -1;
  private boolean sealingPaused;
  private final TreeMap<Long, Pending> pendingOwn = new TreeMap<>();
  private final BatchFetcher fetcher;
  private final BatchFetcher.Requests fetchRequestSender = this::requestBatch;

  /** The frames of one duty cycle: room made at first, and kept at most after a larger cycle. */
  static final int QUEUED_INITIAL_BYTES = 1 << 16;

  static final int QUEUED_KEPT_BYTES = 1 << 22;

  // Group commit of one duty cycle.
  private WriteBatch writes;
  private final Set<String> batchesInWrite = new HashSet<>();
  private final Set<String> certsInWrite = new HashSet<>();
  private ExpandableArrayBuffer queued = new ExpandableArrayBuffer(QUEUED_INITIAL_BYTES);
  private int queuedLength;
  private final List<BatchCertificate> deliveries = new ArrayList<>();

  // Metrics.
  private long sealedBatches;
  private long sealedTxs;
  private long pendingOwnTxs;

  /** The latency decomposition: the last tick's time, and sums of waits with their counts. */
  private long lastTickNs;

  private long sealWaits;
  private long sealWaitNs;
  private long certifyWaits;
  private long certifyWaitNs;

  private long certifiedBatches;
  private long certifiedTxs;
  private long acksSent;
  private long refusedMessages;
  private long fetchRequests;
  private long badSignatureBatches;

  /**
   * This worker's acknowledgement of a peer's batch: its signature over that batch's {@link
   * BatchCertificate#ackMessage}, so the certificate that carries it needs one check fewer ({@link
   * CertificateVerifier#verify(BatchCertificate, int, byte[])}).
   */
  private record OwnAck(int author, long seq, int txCount, byte[] signature) {}

  /** Acknowledgements given, by batch digest (hex); the oldest are forgotten past the bound. */
  private static final int OWN_ACKS_KEPT = 4096;

  private final java.util.LinkedHashMap<String, OwnAck> ownAcks =
      new java.util.LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, OwnAck> eldest) {
          return size() > OWN_ACKS_KEPT;
        }
      };

  private static final class Pending {
    final long seq;
    final byte[] digest;
    final int txCount;
    final byte[][] signatures;
    long stake;
    long lastSentNs;
    final long sealedNs;
    int resends;

    Pending(long seq, byte[] digest, int txCount, int committeeSize, long nowNs) {
      this.seq = seq;
      this.digest = digest;
      this.txCount = txCount;
      this.signatures = new byte[committeeSize][];
      this.lastSentNs = nowNs;
      this.sealedNs = nowNs;
    }
  }

  /**
   * @param verifier verifies the signatures of a peer batch's records in {@link #onBatch} (one
   *     batch call per frame)
   * @param certificates verifies peers' batch certificates ({@link #onCertificate}); pass one that
   *     shares its {@link VerifiedCertificates} with the primary so a certificate is checked once
   */
  public Worker(
      int self,
      int chainId,
      Committee committee,
      Ed25519KeyPair key,
      Store store,
      Mempool mempool,
      WorkerConfig config,
      WorkerOutbox outbox,
      BatchCertificateSink sink,
      BatchSignatureVerifier verifier,
      CertificateVerifier certificates) {
    this.certificates = certificates;
    this.self = self;
    this.chainId = chainId;
    this.committee = committee;
    this.key = key;
    this.store = store;
    this.mempool = mempool;
    this.config = config;
    this.outbox = outbox;
    this.sink = sink;
    this.batchCheck = new PeerBatchCheck(self, chainId, committee.size());
    this.records = new RecordVerifier(null, verifier, Wire.MAX_BATCH_RECORDS);
    this.loggedBadAuthor = new boolean[committee.size()];
    this.fetcher =
        new BatchFetcher(self, committee.size(), BatchFetcher.Config.defaults(config.resendNs()));
    Long stored = store.get(META_SEQ, NEXT_SEQ_KEY);
    this.nextSeq = stored == null ? 0 : stored;
    checkBatchFormat(store, stored != null);
  }

  /**
   * Refuses a store whose batches are of another batch format (one line naming both); marks a new
   * store with this one (written with the first cycle's group write).
   */
  private void checkBatchFormat(Store store, boolean sealedBefore) {
    Long format = store.get(META_SEQ, BATCH_FORMAT_KEY);
    if (format == null) {
      boolean[] holdsBatches = {sealedBefore};
      if (!sealedBefore) {
        store.scan(BATCHES, null, (k, v) -> !(holdsBatches[0] = true));
      }
      if (holdsBatches[0]) {
        format = 1L;
      } else {
        writes().put(META_SEQ, BATCH_FORMAT_KEY, (long) BatchDigester.FORMAT);
        return;
      }
    }
    if (format != BatchDigester.FORMAT) {
      throw new IllegalStateException(
          "the store holds worker batches of batch format "
              + format
              + "; this node reads batch format "
              + BatchDigester.FORMAT
              + " (start from an empty data directory)");
    }
  }

  /**
   * Computes this worker's batch digests, and recomputes peers' ones, with {@code hasher} (the
   * node's hashing backend; the CPU engine by default). Call before the worker runs.
   */
  public void hashWith(LevelHasher hasher) {
    digester = new BatchDigester(hasher);
    batchCheck.hashWith(hasher);
  }

  // ---- events ------------------------------------------------------------------------------

  /** Seals due batches and resends what is overdue. */
  public int onTick(long nowNs) {
    lastTickNs = nowNs;
    int work = 0;
    int ready = mempool.readyCount();
    if (ready == 0) {
      oldestReadySinceNs = -1;
    } else if (oldestReadySinceNs < 0) {
      oldestReadySinceNs = nowNs;
    }
    while (!sealingPaused
        && pendingOwn.size() < config.maxPendingBatches()
        && ready > 0
        && (ready >= config.batchSizeTxs()
            || (nowNs - oldestReadySinceNs >= config.maxBatchDelayNs()
                && pendingOwn.size() < config.maxPartialInFlight()))) {
      sealWaits++;
      sealWaitNs += nowNs - oldestReadySinceNs;
      seal(nowNs);
      work++;
      ready = mempool.readyCount();
      oldestReadySinceNs = ready > 0 ? nowNs : -1;
    }
    for (Pending p : pendingOwn.values()) {
      // Exponential back-off (x1, x2, x4, x8): a slow peer is not buried under retransmissions.
      if (nowNs - p.lastSentNs >= config.resendNs() << Math.min(p.resends, 3)) {
        p.resends++;
        resend(p, nowNs);
        work++;
      }
    }
    work += fetcher.onTick(nowNs, fetchRequestSender);
    return work;
  }

  /**
   * While paused, {@link #onTick} seals no batch (the ready transactions wait in the mempool);
   * resends, acknowledgements, certificates and fetches go on. The node pauses sealing while its
   * execution backlog is over its bound ({@link ExecutionBacklog}).
   */
  public void pauseSealing(boolean paused) {
    sealingPaused = paused;
  }

  /** Whether sealing is paused ({@link #pauseSealing}). */
  public boolean sealingPaused() {
    return sealingPaused;
  }

  private void seal(long nowNs) {
    sealer.count = 0;
    mempool.drain(config.batchSizeTxs(), sealer);
    int count = sealer.count;
    int recordsAt = Wire.HEADER_LENGTH + Wire.BATCH_RECORDS;
    long seq = nextSeq++;
    digester.digest(self, seq, sealFrame, recordsAt, count, digest);
    int length = Wire.batchHeader(sealFrame, 0, self, seq, digest, count);
    byte[] d = digest.clone();
    writes()
        .putRaw(
            ColumnFamily.BATCHES,
            d,
            0,
            32,
            sealFrame.byteArray(),
            Wire.HEADER_LENGTH,
            length - Wire.HEADER_LENGTH);
    writes().put(META_SEQ, NEXT_SEQ_KEY, nextSeq);
    batchesInWrite.add(hex(d));
    Pending p = new Pending(seq, d, count, committee.size(), nowNs);
    BatchCertificate.ackMessage(chainId, self, seq, d, count, ackMessage);
    p.signatures[self] = key.sign(ackMessage);
    p.stake = committee.stake(self);
    pendingOwn.put(seq, p);
    pendingOwnTxs += count;
    sealedBatches++;
    sealedTxs += count;
    queue(BROADCAST, sealFrame, 0, length);
    maybeCertify(p);
  }

  private final class Sealer implements TxSink {
    int count;

    @Override
    public void onTransaction(DirectBuffer buffer, int offset) {
      sealFrame.putBytes(
          Wire.HEADER_LENGTH + Wire.BATCH_RECORDS + count * AgentRunDescriptor.ENCODED_LENGTH,
          buffer,
          offset,
          AgentRunDescriptor.ENCODED_LENGTH);
      count++;
    }
  }

  /**
   * A BATCH frame (validated) from {@code from}: the author's dissemination or a fetch answer. It
   * is checked here in full (structure, digest, and every record's signature, as one batch): a
   * batch with a forged transaction is refused and never acknowledged, so no quorum can certify it.
   * Use {@link #onVerifiedBatch} when a verify stage already did these checks.
   */
  public void onBatch(int from, DirectBuffer buffer, int offset, int length) {
    if (batchCheck.check(buffer, offset) != PeerBatchCheck.Result.OK) {
      refusedMessages++;
      return;
    }
    int count = PeerBatchCheck.count(buffer, offset);
    buffer.getBytes(offset + Wire.HEADER_LENGTH + Wire.BATCH_DIGEST, claimed, 0, 32);
    if (batchesInWrite.contains(hex(claimed)) || store.contains(BATCHES, claimed)) {
      // Stored batches were verified when they arrived; the digest binds every record (and so
      // every signature), so a retransmission needs no second verification.
      onVerifiedBatch(from, buffer, offset, length);
      return;
    }
    records.clear();
    int first = records.stageRecords(buffer, PeerBatchCheck.recordsAt(offset), count);
    records.verify();
    int bad = records.invalidSignatures(first, count);
    records.clear();
    if (bad > 0) {
      onBadSignatureBatch(
          from, PeerBatchCheck.author(buffer, offset), PeerBatchCheck.seq(buffer, offset), bad);
      return;
    }
    onVerifiedBatch(from, buffer, offset, length);
  }

  /**
   * Counts (and logs once per author) a peer batch refused because {@code bad} of its transactions
   * carry invalid signatures; it is not stored and not acknowledged.
   */
  public void onBadSignatureBatch(int from, int author, long seq, int bad) {
    refusedMessages++;
    badSignatureBatches++;
    if (author < loggedBadAuthor.length && !loggedBadAuthor[author]) {
      loggedBadAuthor[author] = true;
      LOG.log(
          System.Logger.Level.WARNING,
          "validator {0}: refused batch {1}/{2} from {3}: {4} invalid transaction signature(s); not acknowledged"
              + " (further refusals for this author are only counted)",
          self,
          author,
          seq,
          from,
          bad);
    }
  }

  /**
   * A BATCH frame from {@code from} that already passed {@link PeerBatchCheck} and the signature
   * verification of every record (done by a verify stage off this thread): store it and, when it
   * came from its author, acknowledge it.
   */
  public void onVerifiedBatch(int from, DirectBuffer buffer, int offset, int length) {
    int author = PeerBatchCheck.author(buffer, offset);
    long seq = PeerBatchCheck.seq(buffer, offset);
    int count = PeerBatchCheck.count(buffer, offset);
    byte[] d = new byte[32];
    buffer.getBytes(offset + Wire.HEADER_LENGTH + Wire.BATCH_DIGEST, d, 0, 32);
    String h = hex(d);
    if (!batchesInWrite.contains(h) && !store.contains(BATCHES, d)) {
      // Stored as its payload (header dropped), through the reused scratch frame: the store copies
      // it during the call, so nothing is allocated per record.
      int payloadLength = length - Wire.HEADER_LENGTH;
      buffer.getBytes(offset + Wire.HEADER_LENGTH, scratchFrame, 0, payloadLength);
      writes().putRaw(ColumnFamily.BATCHES, d, 0, 32, scratchFrame.byteArray(), 0, payloadLength);
      batchesInWrite.add(h);
    }
    if (author == from) {
      BatchCertificate.ackMessage(chainId, author, seq, d, count, ackMessage);
      key.sign(ackMessage, 0, ackMessage.length, signature, 0);
      ownAcks.put(h, new OwnAck(author, seq, count, signature.clone()));
      int n = Wire.batchAck(scratchFrame, 0, author, seq, d, self, signature);
      queue(author, scratchFrame, 0, n);
      acksSent++;
    }
    BatchCertificate fetched = fetcher.onArrived(h);
    if (fetched != null) {
      acceptCertificate(fetched);
    }
  }

  /** A BATCH_ACK (validated) from {@code from} for one of this worker's batches. */
  public void onAck(int from, DirectBuffer buffer, int offset) {
    int p = offset + Wire.HEADER_LENGTH;
    int author = Short.toUnsignedInt(buffer.getShort(p + Wire.BATCH_AUTHOR, LE));
    int signer = Short.toUnsignedInt(buffer.getShort(p + Wire.ACK_SIGNER, LE));
    long seq = buffer.getLong(p + Wire.BATCH_SEQ, LE);
    if (author != self || signer != from || from >= committee.size()) {
      refusedMessages++;
      return;
    }
    Pending pending = pendingOwn.get(seq);
    if (pending == null || pending.signatures[from] != null) {
      return; // certified already, or a duplicate
    }
    buffer.getBytes(p + Wire.BATCH_DIGEST, claimed, 0, 32);
    if (!Arrays.equals(claimed, pending.digest)) {
      refusedMessages++;
      return;
    }
    byte[] sig = new byte[64];
    buffer.getBytes(p + Wire.ACK_SIGNATURE, sig, 0, 64);
    BatchCertificate.ackMessage(chainId, self, seq, pending.digest, pending.txCount, ackMessage);
    committee.copyKey(from, peerKey, 0);
    if (!Ed25519.verify(peerKey, 0, sig, 0, ackMessage, 0, ackMessage.length)) {
      refusedMessages++;
      return;
    }
    pending.signatures[from] = sig;
    pending.stake += committee.stake(from);
    maybeCertify(pending);
  }

  private void maybeCertify(Pending pending) {
    if (!committee.isQuorum(pending.stake)) {
      return;
    }
    int n = 0;
    for (byte[] s : pending.signatures) {
      if (s != null) {
        n++;
      }
    }
    int[] signers = new int[n];
    byte[][] sigs = new byte[n][];
    int k = 0;
    for (int i = 0; i < pending.signatures.length; i++) {
      if (pending.signatures[i] != null) {
        signers[k] = i;
        sigs[k++] = pending.signatures[i];
      }
    }
    BatchCertificate certificate =
        new BatchCertificate(self, pending.seq, pending.digest, pending.txCount, signers, sigs);
    pendingOwn.remove(pending.seq);
    pendingOwnTxs -= pending.txCount;
    certifyWaits++;
    certifyWaitNs += Math.max(0, lastTickNs - pending.sealedNs);
    int length = certificate.encode(scratchFrame, 0);
    queue(BROADCAST, scratchFrame, 0, length);
    acceptCertificate(certificate);
  }

  /** A BATCH_CERT (validated) from {@code from}. */
  public void onCertificate(int from, DirectBuffer buffer, int offset, long nowNs) {
    BatchCertificate certificate = BatchCertificate.decode(buffer, offset);
    String h = hex(certificate.digest());
    if (certsInWrite.contains(h)
        || fetcher.isWanted(h)
        || store.contains(CERTIFICATES, certificate.digest())) {
      return;
    }
    OwnAck mine = ownAcks.get(h);
    String refusal =
        mine != null
                && mine.author() == certificate.author()
                && mine.seq() == certificate.seq()
                && mine.txCount() == certificate.txCount()
            ? certificates.verify(certificate, self, mine.signature())
            : certificates.verify(certificate);
    if (refusal != null) {
      refusedMessages++;
      return;
    }
    if (batchesInWrite.contains(h) || store.contains(BATCHES, certificate.digest())) {
      acceptCertificate(certificate);
    } else {
      fetcher.want(h, certificate, from);
      fetcher.onTick(nowNs, fetchRequestSender);
    }
  }

  /** A BATCH_REQUEST (validated) from {@code from}: answer with the batch when it is here. */
  public void onBatchRequest(int from, DirectBuffer buffer, int offset) {
    buffer.getBytes(offset + Wire.HEADER_LENGTH + Wire.BATCH_DIGEST, claimed, 0, 32);
    byte[] stored = store.get(BATCHES, claimed);
    if (stored == null) {
      return;
    }
    scratchFrame.putBytes(Wire.HEADER_LENGTH, stored);
    Wire.header(scratchFrame, 0, MessageType.BATCH);
    queue(from, scratchFrame, 0, Wire.HEADER_LENGTH + stored.length);
  }

  private void requestBatch(int peer, BatchCertificate certificate) {
    int n =
        Wire.batchRequest(
            scratchFrame, 0, certificate.author(), certificate.seq(), certificate.digest());
    queue(peer, scratchFrame, 0, n);
    fetchRequests++;
  }

  private void acceptCertificate(BatchCertificate certificate) {
    String h = hex(certificate.digest());
    if (!certsInWrite.add(h)) {
      return;
    }
    writes().put(CERTIFICATES, certificate.digest(), payload(certificate.toBytes()));
    deliveries.add(certificate);
    certifiedBatches++;
    certifiedTxs += certificate.txCount();
  }

  private void resend(Pending p, long nowNs) {
    byte[] stored = batchesInWrite.contains(hex(p.digest)) ? null : store.get(BATCHES, p.digest);
    p.lastSentNs = nowNs;
    if (stored == null) {
      return;
    }
    scratchFrame.putBytes(Wire.HEADER_LENGTH, stored);
    Wire.header(scratchFrame, 0, MessageType.BATCH);
    for (int peer = 0; peer < committee.size(); peer++) {
      if (peer != self && p.signatures[peer] == null) {
        queue(peer, scratchFrame, 0, Wire.HEADER_LENGTH + stored.length);
      }
    }
  }

  // ---- group write -------------------------------------------------------------------------

  private WriteBatch writes() {
    if (writes == null) {
      writes = store.newBatch();
    }
    return writes;
  }

  private void queue(int to, DirectBuffer frame, int offset, int length) {
    queued.putInt(queuedLength, to);
    queued.putInt(queuedLength + 4, length);
    queued.putBytes(queuedLength + 8, frame, offset, length);
    queuedLength += 8 + length;
  }

  /**
   * Whether this cycle has state to write, so that {@link #flush} will make one synced write (which
   * also makes the store's earlier buffered writes durable, {@link Store#write}).
   */
  public boolean hasPendingWrites() {
    return writes != null;
  }

  /**
   * Makes this cycle's state durable (one synced write), then sends the queued frames and delivers
   * the certificates.
   *
   * @return work done
   */
  public int flush() {
    int work = 0;
    if (writes != null) {
      WriteBatch cycle = writes;
      writes = null; // consumed by write even when it throws: never reused
      store.write(cycle, Durability.SYNCED);
      batchesInWrite.clear();
      certsInWrite.clear();
      work++;
    }
    int at = 0;
    while (at < queuedLength) {
      int to = queued.getInt(at);
      int length = queued.getInt(at + 4);
      if (to == BROADCAST) {
        for (int peer = 0; peer < committee.size(); peer++) {
          if (peer != self) {
            outbox.send(peer, queued, at + 8, length);
          }
        }
      } else {
        outbox.send(to, queued, at + 8, length);
      }
      at += 8 + length;
      work++;
    }
    queuedLength = 0;
    if (queued.capacity() > QUEUED_KEPT_BYTES) {
      // A rare large cycle (a catch-up's fetch answers) does not keep its buffer for good.
      queued = new ExpandableArrayBuffer(QUEUED_INITIAL_BYTES);
    }
    if (!deliveries.isEmpty()) {
      for (BatchCertificate c : deliveries) {
        sink.onBatchCertified(c);
      }
      work += deliveries.size();
      deliveries.clear();
    }
    return work;
  }

  // ---- helpers and metrics -----------------------------------------------------------------

  /** The stored form of a frame: its payload (header dropped). */
  private static byte[] payload(byte[] frame) {
    return Arrays.copyOfRange(frame, Wire.HEADER_LENGTH, frame.length);
  }

  private static String hex(byte[] d) {
    return HexFormat.of().formatHex(d);
  }

  /** Reads a stored certificate back (for queries and tests). */
  public static BatchCertificate storedCertificate(Store store, byte[] digest) {
    byte[] payload = store.get(CERTIFICATES, digest);
    if (payload == null) {
      return null;
    }
    UnsafeBuffer frame = new UnsafeBuffer(new byte[Wire.HEADER_LENGTH + payload.length]);
    frame.putBytes(Wire.HEADER_LENGTH, payload);
    Wire.header(frame, 0, MessageType.BATCH_CERT);
    return BatchCertificate.decode(frame, 0);
  }

  public long sealedBatches() {
    return sealedBatches;
  }

  public long sealedTxs() {
    return sealedTxs;
  }

  /** Batches sealed, and the sum of their oldest transaction's wait in the mempool (ns). */
  public long sealWaits() {
    return sealWaits;
  }

  public long sealWaitNs() {
    return sealWaitNs;
  }

  /** Own batches certified, and the sum of their seal-to-certificate times (ns, to a tick). */
  public long certifyWaits() {
    return certifyWaits;
  }

  public long certifyWaitNs() {
    return certifyWaitNs;
  }

  public long certifiedBatches() {
    return certifiedBatches;
  }

  public long certifiedTxs() {
    return certifiedTxs;
  }

  public long acksSent() {
    return acksSent;
  }

  /** Verifies peers' batch certificates (its counters go into the node's status). */
  public CertificateVerifier certificateVerifier() {
    return certificates;
  }

  public long refusedMessages() {
    return refusedMessages;
  }

  public long fetchRequests() {
    return fetchRequests;
  }

  /** Peer batches refused because a transaction signature was invalid. */
  public long badSignatureBatches() {
    return badSignatureBatches;
  }

  /** Transactions in this worker's own batches sealed and not yet certified. */
  public long pendingOwnTxs() {
    return pendingOwnTxs;
  }

  public int pendingBatches() {
    return pendingOwn.size();
  }

  public int missingBatches() {
    return fetcher.size();
  }

  /**
   * Diagnostics: the own batch, sealed and not yet certified, that holds the transaction of the
   * signer at {@code key[keyOffset]} with nonce {@code nonce}, described for an operator (sequence,
   * digest, acknowledgements, resends), or null when none does. Reads those batches from the store.
   */
  public String locatePendingOwn(DirectBuffer key, int keyOffset, long nonce) {
    for (Pending p : pendingOwn.values()) {
      byte[] stored = store.get(BATCHES, p.digest);
      if (stored != null && indexInBatch(stored, key, keyOffset, nonce) >= 0) {
        int acks = 0;
        for (byte[] s : p.signatures) {
          acks += s == null ? 0 : 1;
        }
        return String.format(
            java.util.Locale.ROOT,
            "sealed in own batch %d (%s, %d txs), not yet certified: acknowledged by %d of %d,"
                + " sent again %d times",
            p.seq,
            hex(p.digest).substring(0, 16),
            p.txCount,
            acks,
            committee.size(),
            p.resends);
      }
    }
    return null;
  }

  /**
   * The index of the record of the signer at {@code key[keyOffset]} with nonce {@code nonce} in a
   * batch in its stored form (as {@link #BATCHES} holds it), or -1.
   */
  public static int indexInBatch(byte[] stored, DirectBuffer key, int keyOffset, long nonce) {
    UnsafeBuffer batch = new UnsafeBuffer(stored);
    int count = batch.getInt(Wire.BATCH_COUNT, LE);
    for (int i = 0; i < count; i++) {
      int at = Wire.BATCH_RECORDS + i * AgentRunDescriptor.ENCODED_LENGTH;
      if (at + AgentRunDescriptor.ENCODED_LENGTH > stored.length) {
        return -1;
      }
      if (dev.agentledger.node.tx.TransactionSlot.nonce(batch, at) == nonce
          && sameSigner(
              batch, at + dev.agentledger.node.tx.TransactionSlot.SIGNER_OFFSET, key, keyOffset)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean sameSigner(DirectBuffer a, int at, DirectBuffer b, int bt) {
    for (int i = 0; i < 32; i += 8) {
      if (a.getLong(at + i) != b.getLong(bt + i)) {
        return false;
      }
    }
    return true;
  }

  /** The missing-batch fetcher (its in-flight and timeout counters). */
  public BatchFetcher fetcher() {
    return fetcher;
  }
}
