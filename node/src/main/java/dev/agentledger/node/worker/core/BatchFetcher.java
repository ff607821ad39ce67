package dev.agentledger.node.worker.core;

import dev.agentledger.node.net.Wire;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Fetches certified batches this validator does not hold, many at once and from several peers
 * (Narwhal's worker synchronizer, Danezis et al., "Narwhal and Tusk", EuroSys 2022, section 4.1:
 * any validator that acknowledged a batch stores it). Pure logic: events in, requests out through
 * {@link Requests}, time passed in as {@code nowNs}.
 *
 * <p><b>Who is asked.</b> A batch's holders are its author and the signers of its certificate (and
 * the peer that sent the certificate), this validator excluded. Each request goes to the holder
 * with the fewest requests in flight that has not been asked for this batch yet (ties rotate), so a
 * range of batches spreads over all holders; a request unanswered within {@code timeoutNs} is given
 * up and the batch is asked of the next holder (after every holder was asked once, the round starts
 * again).
 *
 * <p><b>Backpressure.</b> At most {@code maxInFlight} requests and {@code maxInFlightBytes}
 * expected answer bytes ({@link #answerBytes}: the batch frame its certificate's count implies) are
 * outstanding; the rest wait in arrival order (timed-out ones first). At most {@code maxWanted}
 * batches are remembered: {@link #want} refuses more, and the caller asks again later.
 */
public final class BatchFetcher {
  /** Where the fetcher's requests go. */
  @FunctionalInterface
  public interface Requests {
    /** Ask {@code peer} for the batch {@code certificate} certifies (one BATCH_REQUEST). */
    void request(int peer, BatchCertificate certificate);
  }

  /**
   * @param maxWanted batches remembered (waiting or in flight)
   * @param maxInFlight requests outstanding at once
   * @param maxInFlightBytes expected answer bytes outstanding at once (one request is always
   *     allowed, whatever its size)
   * @param timeoutNs how long a request may stay unanswered before the next holder is asked
   */
  public record Config(int maxWanted, int maxInFlight, long maxInFlightBytes, long timeoutNs) {
    public Config {
      if (maxWanted < 1 || maxInFlight < 1 || maxInFlightBytes < 1 || timeoutNs < 1) {
        throw new IllegalArgumentException("batch fetch limits must be positive");
      }
    }

    /** 8,192 batches remembered, 64 requests and 8 MiB in flight, {@code timeoutNs} each. */
    public static Config defaults(long timeoutNs) {
      return new Config(8192, 64, 8L << 20, timeoutNs);
    }
  }

  private static final class Entry {
    final String key;
    final BatchCertificate certificate;
    final int sender;
    final long bytes;
    final boolean[] asked;
    int peer = -1; // in flight to this peer, or -1
    long deadlineNs;
    boolean done;

    Entry(String key, BatchCertificate certificate, int sender, int committeeSize) {
      this.key = key;
      this.certificate = certificate;
      this.sender = sender;
      this.bytes = answerBytes(certificate.txCount());
      this.asked = new boolean[committeeSize];
    }
  }

  private final int self;
  private final int committeeSize;
  private final Config config;
  private final Map<String, Entry> wanted = new HashMap<>();
  private final ArrayDeque<Entry> waiting = new ArrayDeque<>();
  private final ArrayDeque<Entry> flying = new ArrayDeque<>(); // in send order: deadlines ascend
  private final int[] inFlightPerPeer;
  private final boolean[] holder;
  private int inFlight;
  private long inFlightBytes;
  private int rotation;

  private long requests;
  private long timeouts;
  private long arrived;
  private long refused;

  public BatchFetcher(int self, int committeeSize, Config config) {
    this.self = self;
    this.committeeSize = committeeSize;
    this.config = config;
    this.inFlightPerPeer = new int[committeeSize];
    this.holder = new boolean[committeeSize];
  }

  /** The bytes of the BATCH frame that answers a request for a batch of {@code txCount} records. */
  public static long answerBytes(int txCount) {
    return Wire.HEADER_LENGTH + Wire.BATCH_RECORDS + (long) txCount * Wire.RECORD;
  }

  /**
   * Remembers a batch to fetch ({@code key}: its digest in hex), sent to us in a certificate by
   * {@code sender}. Returns false when it is already wanted or the fetcher is full (counted as
   * refused: ask again later). Requests go out at the next {@link #onTick}.
   */
  public boolean want(String key, BatchCertificate certificate, int sender) {
    if (wanted.containsKey(key)) {
      return false;
    }
    if (wanted.size() >= config.maxWanted()) {
      refused++;
      return false;
    }
    Entry e = new Entry(key, certificate, sender, committeeSize);
    wanted.put(key, e);
    waiting.addLast(e);
    return true;
  }

  /** Whether the batch {@code key} is being fetched. */
  public boolean isWanted(String key) {
    return wanted.containsKey(key);
  }

  /**
   * The batch {@code key} is here (an answer, or its author's own dissemination): returns its
   * certificate and frees its request slot, or null when it was not wanted.
   */
  public BatchCertificate onArrived(String key) {
    Entry e = wanted.remove(key);
    if (e == null) {
      return null;
    }
    e.done = true;
    if (e.peer >= 0) {
      release(e);
    }
    arrived++;
    return e.certificate;
  }

  /**
   * Gives up requests past their deadline (their batches are asked of another holder), then sends
   * waiting requests while the in-flight bounds allow. Returns the requests sent and given up.
   */
  public int onTick(long nowNs, Requests out) {
    int work = 0;
    while (!flying.isEmpty()) {
      Entry e = flying.peekFirst();
      if (e.done || e.peer < 0) {
        flying.pollFirst(); // arrived (or already given up) since it was sent
        continue;
      }
      if (nowNs - e.deadlineNs < 0) {
        break;
      }
      flying.pollFirst();
      release(e);
      timeouts++;
      waiting.addFirst(e);
      work++;
    }
    while (!waiting.isEmpty() && inFlight < config.maxInFlight()) {
      Entry e = waiting.peekFirst();
      if (e.done) {
        waiting.pollFirst(); // arrived while waiting
        continue;
      }
      if (inFlight > 0 && inFlightBytes + e.bytes > config.maxInFlightBytes()) {
        break;
      }
      waiting.pollFirst();
      int peer = choosePeer(e);
      if (peer < 0) {
        // No holder but this validator (cannot happen for a valid certificate): forget it.
        wanted.remove(e.key);
        e.done = true;
        continue;
      }
      e.asked[peer] = true;
      e.peer = peer;
      e.deadlineNs = nowNs + config.timeoutNs();
      inFlightPerPeer[peer]++;
      inFlight++;
      inFlightBytes += e.bytes;
      flying.addLast(e);
      requests++;
      work++;
      out.request(peer, e.certificate);
    }
    return work;
  }

  private void release(Entry e) {
    inFlightPerPeer[e.peer]--;
    inFlight--;
    inFlightBytes -= e.bytes;
    e.peer = -1;
  }

  /** The holder not yet asked for {@code e} with the fewest requests in flight; -1 if none. */
  private int choosePeer(Entry e) {
    java.util.Arrays.fill(holder, false);
    BatchCertificate c = e.certificate;
    mark(c.author());
    mark(e.sender);
    for (int signer : c.signers()) {
      mark(signer);
    }
    int best = pick(e);
    if (best < 0) {
      java.util.Arrays.fill(e.asked, false); // every holder was asked: start another round
      best = pick(e);
    }
    rotation++;
    return best;
  }

  private void mark(int peer) {
    if (peer >= 0 && peer < committeeSize && peer != self) {
      holder[peer] = true;
    }
  }

  private int pick(Entry e) {
    int best = -1;
    for (int k = 0; k < committeeSize; k++) {
      int p = Math.floorMod(rotation + k, committeeSize);
      if (holder[p] && !e.asked[p] && (best < 0 || inFlightPerPeer[p] < inFlightPerPeer[best])) {
        best = p;
      }
    }
    return best;
  }

  /** Batches being fetched (waiting or in flight). */
  public int size() {
    return wanted.size();
  }

  /** Requests outstanding. */
  public int inFlight() {
    return inFlight;
  }

  /** Expected answer bytes outstanding. */
  public long inFlightBytes() {
    return inFlightBytes;
  }

  /** Requests outstanding to {@code peer}. */
  public int inFlight(int peer) {
    return inFlightPerPeer[peer];
  }

  /** Requests sent since start. */
  public long requests() {
    return requests;
  }

  /** Requests given up unanswered since start. */
  public long timeouts() {
    return timeouts;
  }

  /** Wanted batches that arrived since start. */
  public long arrived() {
    return arrived;
  }

  /** Batches refused because the fetcher was full. */
  public long refused() {
    return refused;
  }
}
