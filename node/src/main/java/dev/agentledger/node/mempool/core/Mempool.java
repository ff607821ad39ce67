package dev.agentledger.node.mempool.core;

import static dev.agentledger.node.tx.AgentRunDescriptor.AGENT_OFFSET;
import static dev.agentledger.node.tx.AgentRunDescriptor.ENCODED_LENGTH;

import dev.agentledger.node.tx.TransactionSlot;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The pending-transaction pool: pure logic, single-threaded. Its arrays start small and double as
 * transactions and agents arrive, up to the configured bounds ({@link #maxHeapBytes}), so a pool
 * that never fills never pays for its bounds; once grown it allocates nothing.
 *
 * <p><b>Order.</b> Each agent's pending transactions form a queue in nonce order; only the head of
 * that queue is eligible. Among eligible heads, {@link #drain} takes the lowest priority lane first
 * (the record's {@code priority}, 0 = highest), then the highest {@code max_fee}, then the earliest
 * arrival. So batches respect every agent's nonce order and otherwise serve lanes and fees (the
 * account-queue + price-heap scheme of Ethereum transaction pools, with lanes in front).
 *
 * <p><b>Nonces.</b> An agent's next nonce starts where the executed state has it: the first time
 * the pool sees an agent it asks its {@link NonceSource} (0 without one), so a restarted validator
 * neither re-admits committed transactions nor holds the next valid one forever (the node offers it
 * nothing until that state has caught up with the ledger). It advances as the agent's transactions
 * become ready, and {@link #onCommitted} raises it to each executed commit's nonces (transactions
 * another validator ordered); pending ones at lower nonces are dropped then, since execution would
 * refuse them. A transaction with the next nonce is ready at once (and pulls in any held
 * successors); one with a larger nonce, at most {@code maxNonceGap} ahead, is held until the gap
 * fills; a smaller nonce is a {@link Admission#REPLAY}, a held nonce offered twice a {@link
 * Admission#DUPLICATE}.
 *
 * <p><b>No gaps of its own making.</b> A client pipelines an agent's nonces, so when the pool
 * refuses nonce n for load (a rate limit, a full pool or agent, a nonce too far) the agent's later
 * nonces are usually already on their way, and a token refilled in between would admit one of them
 * as held behind n. Until the agent's next nonce passes n, its later nonces are refused {@link
 * Admission#AFTER_REFUSED} (retryable) instead, without taking a token: the pool never acknowledges
 * a transaction that waits on one it refused itself, whose client may stop resending it. The node
 * reports the refusals it makes before the pool ({@link #refusedBeforeAdmission}: whole frames
 * refused for load) the same way.
 *
 * <p><b>Returned transactions.</b> Consensus may order a later batch of a signer before an earlier
 * one (an own batch proposed again after its vertex was left out of the order), and execution then
 * refuses the later batch's transactions as {@code BAD_NONCE}. The validator that accepted them
 * hands them back ({@link #requeue}); they wait, outside the ready queue, until the ledger's nonce
 * reaches the first of them, and then join the front of the agent's queue in nonce order. So the
 * ledger's nonce catches up with the pool's instead of staying behind it for good.
 *
 * <p><b>Bounds and eviction policy.</b> At most {@code capacity} pending transactions, {@code
 * perAgentCapacity} per agent, {@code maxAgents} distinct agents remembered. Ready transactions are
 * never evicted: they were acknowledged as accepted and are next in line. When the pool is full, a
 * transaction that would be ready evicts the <em>oldest held</em> (future-nonce) transaction, which
 * cannot be batched until its gap fills and so is the least useful; a held transaction, or any
 * transaction when nothing is held, is refused with {@link Admission#POOL_FULL} (the client sees
 * OVERLOADED and backs off).
 *
 * <p><b>Held transactions are answered, never kept forever.</b> A held transaction was acknowledged
 * as accepted, but it can be batched only once every earlier nonce of its agent has arrived; a
 * predecessor the client gave up on never does. {@link #expireHeld} drops every transaction held
 * longer than a bound, oldest first; an eviction drops the oldest held one at once. Both hand the
 * dropped transaction to the {@link #onDropped} sink first, so the node can answer it (its ingress
 * log entry removed, its id answered as expired) instead of leaving an acceptance that never
 * commits.
 *
 * <p><b>Rates.</b> Token buckets per connection slot, per remote-address slot and per agent; time
 * is passed in as {@code nowNs}.
 */
public final class Mempool {
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final int NONE = -1;

  /** {@link #refusedFrom} of an agent with no refusal outstanding (above every nonce, unsigned). */
  private static final long NO_REFUSAL = -1L;

  /** Slots made at construction (at most the capacity); more are made as they fill. */
  static final int INITIAL_SLOTS = 4096;

  /** Agents made room for at construction (at most {@code maxAgents}); more as they arrive. */
  static final int INITIAL_AGENTS = 1024;

  /**
   * Heap bytes per transaction slot at most: the record, its nonce, fee, lane, agent, links,
   * arrival and held time, and its places in the free stack and the heap.
   */
  public static final long SLOT_BYTES =
      ENCODED_LENGTH + 8 + 8 + 1 + 4 + 4 + 8 + 8 + 4 + 4 + 4 + 4 + 4;

  /**
   * Heap bytes per agent at most: its key, two table entries, next nonce, four list heads and
   * pending count, lowest refused nonce, and its token bucket.
   */
  public static final long AGENT_BYTES = 32 + 2 * 4 + 8 + 4 * 4 + 4 + 8 + TokenBuckets.SLOT_BYTES;

  private final MempoolConfig config;
  private final UnsafeBuffer slab = new UnsafeBuffer(new byte[0]);

  // Per slot; slots [0, slots) exist, grown up to the capacity as they fill.
  private int slots;
  private long[] nonce;
  private long[] fee;
  private byte[] lane;
  private int[] agentOf;
  private int[] next; // next in the agent's ready queue or held list
  private long[] arrival;
  private long[] heldSinceNs; // when a held slot was put on the held list
  private int[] heapIndex;
  private int[] heldPrev; // global FIFO of held slots, for eviction
  private int[] heldNext;
  private int[] freeSlots;
  private int freeTop;

  // Eligible heads: a binary heap of slots.
  private int[] heap;
  private int heapSize;

  // Held FIFO.
  private int heldOldest = NONE;
  private int heldNewest = NONE;
  private int heldCount;
  private int returnedCount; // slots in the agents' returned lists

  // Agents: open addressing over 32-byte keys; room for agentRoom agents (the table at most half
  // full), grown up to maxAgents as agents arrive.
  private int agentRoom;
  private int agentMask;
  private int[] table; // agent index + 1, 0 = empty
  private byte[] agentKeys;
  private final UnsafeBuffer agentKeyView = new UnsafeBuffer(new byte[0]);
  private long[] expectedNonce;
  private int[] readyHead;
  private int[] readyTail;
  private int[] heldHead; // sorted by nonce
  private int[] returnedHead; // sorted by nonce: drained, came back from execution
  private int[] pending;
  // Lowest nonce refused for load since the agent's next nonce was last admitted; NO_REFUSAL: none.
  private long[] refusedFrom;
  private int agentCount;
  private final long hashSeed;

  private final TokenBuckets agentBuckets;
  private final TokenBuckets connectionBuckets;
  private final TokenBuckets addressBuckets;
  private NonceSource nonceSource = NonceSource.ZERO;
  private TxSink droppedSink = (buffer, offset) -> {};
  private long lastNowNs;

  private long arrivals;
  private final MempoolMetrics metrics = new MempoolMetrics();

  public Mempool(MempoolConfig config) {
    this(config, 0x9E3779B97F4A7C15L);
  }

  /**
   * @param hashSeed a per-node secret that keeps agent-table collisions unpredictable
   */
  public Mempool(MempoolConfig config, long hashSeed) {
    this.config = config;
    this.hashSeed = hashSeed;
    growSlots(Math.min(config.capacity(), INITIAL_SLOTS));
    growAgents(Math.min(config.maxAgents(), INITIAL_AGENTS));
    agentBuckets = new TokenBuckets(agentRoom, config.perAgentRatePerSec(), config.perAgentBurst());
    connectionBuckets =
        new TokenBuckets(
            config.connectionSlots(),
            config.perConnectionRatePerSec(),
            config.perConnectionBurst());
    addressBuckets =
        new TokenBuckets(
            config.addressSlots(), config.perAddressRatePerSec(), config.perAddressBurst());
  }

  public MempoolConfig config() {
    return config;
  }

  /**
   * The heap a pool of {@code config} takes once full (every slot and every agent made), in bytes:
   * what a node must leave room for. A new pool takes a small part of it and grows as transactions
   * and agents arrive.
   */
  public static long maxHeapBytes(MempoolConfig config) {
    return config.capacity() * SLOT_BYTES + (long) config.maxAgents() * AGENT_BYTES;
  }

  /** Slots made so far (at most the capacity). */
  public int slotsAllocated() {
    return slots;
  }

  /** Agents room is made for so far (at most {@code maxAgents}). */
  public int agentRoom() {
    return agentRoom;
  }

  /** Makes slots up to {@code room} (more than now): copies the per-slot arrays, frees the new. */
  private void growSlots(int room) {
    byte[] records = new byte[Math.multiplyExact(room, ENCODED_LENGTH)];
    slab.getBytes(0, records, 0, slots * ENCODED_LENGTH);
    slab.wrap(records);
    nonce = java.util.Arrays.copyOf(nonce == null ? new long[0] : nonce, room);
    fee = java.util.Arrays.copyOf(fee == null ? new long[0] : fee, room);
    lane = java.util.Arrays.copyOf(lane == null ? new byte[0] : lane, room);
    agentOf = java.util.Arrays.copyOf(agentOf == null ? new int[0] : agentOf, room);
    next = java.util.Arrays.copyOf(next == null ? new int[0] : next, room);
    arrival = java.util.Arrays.copyOf(arrival == null ? new long[0] : arrival, room);
    heldSinceNs = java.util.Arrays.copyOf(heldSinceNs == null ? new long[0] : heldSinceNs, room);
    heapIndex = java.util.Arrays.copyOf(heapIndex == null ? new int[0] : heapIndex, room);
    heldPrev = java.util.Arrays.copyOf(heldPrev == null ? new int[0] : heldPrev, room);
    heldNext = java.util.Arrays.copyOf(heldNext == null ? new int[0] : heldNext, room);
    heap = java.util.Arrays.copyOf(heap == null ? new int[0] : heap, room);
    freeSlots = java.util.Arrays.copyOf(freeSlots == null ? new int[0] : freeSlots, room);
    // The lowest new slot is taken first.
    for (int slot = room - 1; slot >= slots; slot--) {
      freeSlots[freeTop++] = slot;
    }
    slots = room;
  }

  /**
   * A free slot, growing the pool (doubling, up to the capacity) when none is free: false when the
   * pool is at its capacity and full.
   */
  private boolean hasFreeSlot() {
    if (freeTop > 0) {
      return true;
    }
    if (slots == config.capacity()) {
      return false;
    }
    growSlots((int) Math.min(config.capacity(), 2L * slots));
    return true;
  }

  /** Makes room for {@code room} agents (more than now) and rebuilds the key table. */
  private void growAgents(int room) {
    agentKeys =
        java.util.Arrays.copyOf(
            agentKeys == null ? new byte[0] : agentKeys, Math.multiplyExact(room, 32));
    agentKeyView.wrap(agentKeys);
    expectedNonce =
        java.util.Arrays.copyOf(expectedNonce == null ? new long[0] : expectedNonce, room);
    readyHead = java.util.Arrays.copyOf(readyHead == null ? new int[0] : readyHead, room);
    readyTail = java.util.Arrays.copyOf(readyTail == null ? new int[0] : readyTail, room);
    heldHead = java.util.Arrays.copyOf(heldHead == null ? new int[0] : heldHead, room);
    returnedHead = java.util.Arrays.copyOf(returnedHead == null ? new int[0] : returnedHead, room);
    pending = java.util.Arrays.copyOf(pending == null ? new int[0] : pending, room);
    refusedFrom = java.util.Arrays.copyOf(refusedFrom == null ? new long[0] : refusedFrom, room);
    if (agentBuckets != null) {
      agentBuckets.grow(room);
    }
    int tableSize = Integer.highestOneBit(Math.max(4, room) * 2 - 1) << 1;
    table = new int[tableSize];
    agentMask = tableSize - 1;
    for (int agent = 0; agent < agentCount; agent++) {
      int i = hash(agentKeyView, agent * 32) & agentMask;
      while (table[i] != 0) {
        i = (i + 1) & agentMask;
      }
      table[i] = agent + 1;
    }
    agentRoom = room;
  }

  /**
   * Receives every held transaction the pool drops before it reaches a batch ({@link #expireHeld},
   * or an eviction for a ready one), during the call that drops it; the record is valid only then.
   */
  public Mempool onDropped(TxSink sink) {
    this.droppedSink = sink;
    return this;
  }

  /**
   * Drops, oldest first, every transaction held (waiting for an earlier nonce of its agent) for at
   * least {@code maxHeldNs} at {@code nowNs}, handing each to the {@link #onDropped} sink. A
   * requeued transaction waiting for the ledger is not held in this sense and is never dropped
   * here.
   *
   * @return how many were dropped
   */
  public int expireHeld(long nowNs, long maxHeldNs) {
    lastNowNs = nowNs;
    int dropped = 0;
    while (heldOldest != NONE && nowNs - heldSinceNs[heldOldest] >= maxHeldNs) {
      dropHeld(heldOldest);
      metrics.expired++;
      dropped++;
    }
    return dropped;
  }

  /** Seeds each newly seen agent's next nonce from {@code source} (the executed state). */
  public Mempool seedNoncesFrom(NonceSource source) {
    this.nonceSource = source;
    return this;
  }

  /**
   * An executed commit holds a transaction of the agent whose key is at {@code buffer[keyOffset]}
   * with nonce {@code committedNonce}: the agent's next nonce is at least one more. Pending
   * transactions of the agent below it are dropped (they are committed, or execution refuses their
   * nonce); held ones it reaches become ready. An agent the pool does not remember is left alone:
   * its nonce is read from the state when it is next seen.
   *
   * @return how many pending transactions were dropped
   */
  public int onCommitted(DirectBuffer buffer, int keyOffset, long committedNonce) {
    int agent = findAgent(buffer, keyOffset);
    if (agent < 0 || committedNonce == -1L) {
      return 0;
    }
    int dropped = raiseFloor(agent, committedNonce + 1);
    metrics.committedDropped += dropped;
    return dropped;
  }

  /**
   * The ledger's next nonce of {@code agent} is at least {@code floor}; returns how many dropped.
   */
  private int raiseFloor(int agent, long floor) {
    int dropped = 0;
    int head = readyHead[agent];
    while (head != NONE && Long.compareUnsigned(nonce[head], floor) < 0) {
      int successor = next[head];
      heapRemove(heapIndex[head]);
      readyHead[agent] = successor;
      if (successor == NONE) {
        readyTail[agent] = NONE;
      } else {
        heapPush(successor);
      }
      pending[agent]--;
      freeSlots[freeTop++] = head;
      dropped++;
      head = successor;
    }
    head = heldHead[agent];
    while (head != NONE && Long.compareUnsigned(nonce[head], floor) < 0) {
      int after = next[head];
      unlinkHeldFifo(head);
      pending[agent]--;
      freeSlots[freeTop++] = head;
      dropped++;
      head = after;
    }
    heldHead[agent] = head;
    if (Long.compareUnsigned(expectedNonce[agent], floor) < 0) {
      expectedNonce[agent] = floor;
    }
    promoteHeld(agent);
    clearRefusalReached(agent);
    dropped += releaseReturned(agent, floor);
    return dropped;
  }

  /**
   * Takes back a transaction this pool drained earlier that execution refused as {@code BAD_NONCE}
   * because its nonce was ahead of the signer's ({@code ledgerNextNonce}, read from the executed
   * state): a batch of the same signer with lower nonces was ordered after it. Such a transaction
   * was acknowledged as accepted, so it is not dropped: it waits, with any others returned for its
   * agent, until the ledger reaches its nonce ({@code ledgerNextNonce} here or a later {@link
   * #onCommitted}), and then all of them go to the front of the agent's queue in nonce order. They
   * are neither rate-limited nor evicted, and they do not count against the per-agent bound (they
   * were counted when first admitted).
   *
   * @return {@link Admission#ADMITTED}; {@link Admission#REPLAY} when the ledger has passed its
   *     nonce (another transaction consumed it); {@link Admission#DUPLICATE} when the agent has a
   *     pending transaction at that nonce; {@link Admission#POOL_FULL} when no slot is free and
   *     none can be evicted
   */
  public Admission requeue(DirectBuffer buffer, int offset, long ledgerNextNonce) {
    long n = TransactionSlot.nonce(buffer, offset);
    if (Long.compareUnsigned(n, ledgerNextNonce) < 0) {
      return Admission.REPLAY;
    }
    int agent = findOrAddAgent(buffer, offset + AGENT_OFFSET);
    if (agent < 0) {
      return Admission.POOL_FULL;
    }
    metrics.committedDropped += raiseFloor(agent, ledgerNextNonce);
    if (pendingAt(agent, n)) {
      return Admission.DUPLICATE;
    }
    if (!hasFreeSlot()) {
      if (heldCount == 0) {
        return Admission.POOL_FULL;
      }
      evictOldestHeld();
    }
    int slot = freeSlots[--freeTop];
    slab.putBytes(slot * ENCODED_LENGTH, buffer, offset, ENCODED_LENGTH);
    nonce[slot] = n;
    fee[slot] = TransactionSlot.maxFee(buffer, offset);
    lane[slot] = (byte) TransactionSlot.lane(buffer, offset);
    agentOf[slot] = agent;
    arrival[slot] = arrivals++;
    pending[agent]++;
    metrics.requeued++;
    if (Long.compareUnsigned(n, expectedNonce[agent]) >= 0) {
      // Not below what the pool has handed out (it forgot the agent, or the ledger raised its
      // nonce): an ordinary ready or held transaction.
      next[slot] = NONE;
      if (n == expectedNonce[agent]) {
        appendReady(agent, slot);
        expectedNonce[agent] = n + 1;
        promoteHeld(agent);
        clearRefusalReached(agent);
      } else {
        insertHeld(agent, slot);
      }
      return Admission.ADMITTED;
    }
    int prev = NONE;
    int s = returnedHead[agent];
    while (s != NONE && Long.compareUnsigned(nonce[s], n) < 0) {
      prev = s;
      s = next[s];
    }
    next[slot] = s;
    if (prev == NONE) {
      returnedHead[agent] = slot;
    } else {
      next[prev] = slot;
    }
    returnedCount++;
    metrics.committedDropped += releaseReturned(agent, ledgerNextNonce);
    return Admission.ADMITTED;
  }

  /** Transactions taken back by {@link #requeue} that wait for the ledger to reach their nonce. */
  public int returnedCount() {
    return returnedCount;
  }

  /**
   * The ledger's next nonce of {@code agent} is {@code floor}: returned transactions below it are
   * dropped (another transaction consumed their nonce); when the first one left, or the head of the
   * ready queue, is at {@code floor}, all of them are merged into the ready queue in nonce order.
   *
   * @return how many were dropped
   */
  private int releaseReturned(int agent, long floor) {
    int dropped = 0;
    int head = returnedHead[agent];
    while (head != NONE && Long.compareUnsigned(nonce[head], floor) < 0) {
      int after = next[head];
      pending[agent]--;
      freeSlots[freeTop++] = head;
      returnedCount--;
      dropped++;
      head = after;
    }
    returnedHead[agent] = head;
    int oldReady = readyHead[agent];
    if (head == NONE || (nonce[head] != floor && (oldReady == NONE || nonce[oldReady] != floor))) {
      return dropped;
    }
    if (oldReady != NONE) {
      heapRemove(heapIndex[oldReady]);
    }
    // Merge two nonce-sorted lists: the returned transactions and the ready queue.
    int a = head;
    int b = oldReady;
    int first = NONE;
    int last = NONE;
    while (a != NONE || b != NONE) {
      int take;
      if (b == NONE || (a != NONE && Long.compareUnsigned(nonce[a], nonce[b]) <= 0)) {
        take = a;
        a = next[a];
        returnedCount--;
      } else {
        take = b;
        b = next[b];
      }
      if (last == NONE) {
        first = take;
      } else {
        next[last] = take;
      }
      last = take;
    }
    next[last] = NONE;
    readyHead[agent] = first;
    readyTail[agent] = last;
    returnedHead[agent] = NONE;
    heapPush(first);
    return dropped;
  }

  /** Whether the agent has a pending transaction (ready, held or returned) at nonce {@code n}. */
  private boolean pendingAt(int agent, long n) {
    for (int s = readyHead[agent]; s != NONE; s = next[s]) {
      if (nonce[s] == n) {
        return true;
      }
    }
    for (int s = returnedHead[agent]; s != NONE; s = next[s]) {
      if (nonce[s] == n) {
        return true;
      }
    }
    return findHeld(agent, n) != NONE;
  }

  /** {@link #locate}: the pool does not hold the transaction (or does not know its agent). */
  public static final int ABSENT = 0;

  /** {@link #locate}: in its agent's ready queue, to be batched in priority order. */
  public static final int READY = 1;

  /** {@link #locate}: held for an earlier nonce of its agent ({@link #expireHeld} bounds it). */
  public static final int HELD = 2;

  /** {@link #locate}: returned by execution ({@link #requeue}), waiting for the ledger's nonce. */
  public static final int RETURNED = 3;

  /**
   * Where the pool holds the transaction of the agent at {@code buffer[keyOffset]} with nonce
   * {@code n}: {@link #READY}, {@link #HELD}, {@link #RETURNED} or {@link #ABSENT}. For diagnostics
   * (it walks the agent's lists).
   */
  public int locate(DirectBuffer buffer, int keyOffset, long n) {
    int agent = findAgent(buffer, keyOffset);
    if (agent < 0) {
      return ABSENT;
    }
    for (int s = readyHead[agent]; s != NONE; s = next[s]) {
      if (nonce[s] == n) {
        return READY;
      }
    }
    for (int s = returnedHead[agent]; s != NONE; s = next[s]) {
      if (nonce[s] == n) {
        return RETURNED;
      }
    }
    return findHeld(agent, n) != NONE ? HELD : ABSENT;
  }

  /**
   * Nonces pending for the agent at {@code buffer[keyOffset]}, for diagnostics: its ready queue's
   * head, its held list's head and its returned list's head (-1 where a list is empty or the agent
   * is unknown), in that order, into {@code out}.
   */
  public void heads(DirectBuffer buffer, int keyOffset, long[] out) {
    int agent = findAgent(buffer, keyOffset);
    out[0] = agent < 0 || readyHead[agent] == NONE ? -1 : nonce[readyHead[agent]];
    out[1] = agent < 0 || heldHead[agent] == NONE ? -1 : nonce[heldHead[agent]];
    out[2] = agent < 0 || returnedHead[agent] == NONE ? -1 : nonce[returnedHead[agent]];
  }

  /**
   * The next nonce the pool expects of the agent at {@code buffer[keyOffset]}, or -1 if unknown.
   */
  public long expectedNonce(DirectBuffer buffer, int keyOffset) {
    int agent = findAgent(buffer, keyOffset);
    return agent < 0 ? -1 : expectedNonce[agent];
  }

  public MempoolMetrics metrics() {
    return metrics;
  }

  /** Pending transactions (ready and held). */
  public int size() {
    return slots - freeTop;
  }

  /** Held (future-nonce) transactions. */
  public int heldCount() {
    return heldCount;
  }

  public int agentCount() {
    return agentCount;
  }

  /** The connection slot a connection id maps to (ids beyond the slot count share buckets). */
  public int connectionSlot(long connectionId) {
    return (int) (connectionId & (config.connectionSlots() - 1));
  }

  /** The address slot a client connection's remote-address hash maps to. */
  public int addressSlot(int addressHash) {
    return addressHash & (config.addressSlots() - 1);
  }

  /** Forgets a closed connection's bucket. */
  public void onConnectionClosed(int connectionSlot) {
    connectionBuckets.reset(connectionSlot);
  }

  /**
   * Offers one transaction slot ({@link TransactionSlot}: a run or an account operation, already
   * validated and signature-checked) at {@code buffer[offset]}; copies it in when admitted. The
   * signer's nonce queue is shared by its runs and its account operations.
   *
   * @param connectionSlot the sender's connection slot, or -1 for none (internal resubmission)
   */
  public Admission offer(DirectBuffer buffer, int offset, int connectionSlot, long nowNs) {
    return offer(buffer, offset, connectionSlot, -1, nowNs);
  }

  /**
   * {@link #offer(DirectBuffer, int, int, long)} from a client whose remote address maps to {@code
   * addressSlot} ({@link #addressSlot}; -1: none), limited per address as well.
   */
  public Admission offer(
      DirectBuffer buffer, int offset, int connectionSlot, int addressSlot, long nowNs) {
    Admission result = admit(buffer, offset, connectionSlot, addressSlot, nowNs);
    metrics.count(result);
    return result;
  }

  private Admission admit(
      DirectBuffer buffer, int offset, int connectionSlot, int addressSlot, long nowNs) {
    lastNowNs = nowNs;
    if (connectionSlot >= 0 && !connectionBuckets.tryTake(connectionSlot, nowNs)) {
      return refused(buffer, offset, Admission.RATE_LIMITED_CONNECTION);
    }
    if (addressSlot >= 0 && !addressBuckets.tryTake(addressSlot, nowNs)) {
      return refused(buffer, offset, Admission.RATE_LIMITED_ADDRESS);
    }
    int agent = findOrAddAgent(buffer, offset + AGENT_OFFSET);
    if (agent < 0) {
      return Admission.POOL_FULL;
    }
    long n = TransactionSlot.nonce(buffer, offset);
    long expected = expectedNonce[agent];
    if (n != expected && Long.compareUnsigned(n, refusedFrom[agent]) > 0) {
      // An earlier nonce of this agent was refused here and has not come back: holding this one
      // would leave it behind a gap of our own making. Refused before it takes a token.
      return Admission.AFTER_REFUSED;
    }
    if (!agentBuckets.tryTake(agent, nowNs)) {
      return refused(agent, n, Admission.RATE_LIMITED_AGENT);
    }
    if (Long.compareUnsigned(n, expected) < 0) {
      return Admission.REPLAY;
    }
    long gap = n - expected;
    if (Long.compareUnsigned(gap, config.maxNonceGap()) > 0) {
      return refused(agent, n, Admission.NONCE_TOO_FAR);
    }
    if (pending[agent] >= config.perAgentCapacity()) {
      return refused(agent, n, Admission.AGENT_FULL);
    }
    boolean ready = gap == 0;
    if (!ready && findHeld(agent, n) != NONE) {
      return Admission.DUPLICATE;
    }
    if (!hasFreeSlot()) {
      if (!ready || heldCount == 0) {
        return refused(agent, n, Admission.POOL_FULL);
      }
      evictOldestHeld();
    }
    int slot = freeSlots[--freeTop];
    slab.putBytes(slot * ENCODED_LENGTH, buffer, offset, ENCODED_LENGTH);
    nonce[slot] = n;
    fee[slot] = TransactionSlot.maxFee(buffer, offset);
    lane[slot] = (byte) TransactionSlot.lane(buffer, offset);
    agentOf[slot] = agent;
    arrival[slot] = arrivals++;
    next[slot] = NONE;
    pending[agent]++;
    if (ready) {
      appendReady(agent, slot);
      expectedNonce[agent] = n + 1;
      promoteHeld(agent);
      clearRefusalReached(agent);
    } else {
      insertHeld(agent, slot);
    }
    return Admission.ADMITTED;
  }

  /**
   * A refusal for load of the transaction at {@code buffer[offset]} before its agent was looked up:
   * the agent is found (or added) so that its later nonces are not held behind this one.
   */
  private Admission refused(DirectBuffer buffer, int offset, Admission why) {
    int agent = findOrAddAgent(buffer, offset + AGENT_OFFSET);
    return agent < 0 ? why : refused(agent, TransactionSlot.nonce(buffer, offset), why);
  }

  /**
   * Refuses nonce {@code n} of {@code agent} for load (retryable): until the agent's next nonce
   * passes it, the agent's later nonces are refused {@link Admission#AFTER_REFUSED} instead of
   * held, since none of them could be batched before this one comes back.
   */
  private Admission refused(int agent, long n, Admission why) {
    if (Long.compareUnsigned(n, expectedNonce[agent]) >= 0
        && Long.compareUnsigned(n, refusedFrom[agent]) < 0) {
      refusedFrom[agent] = n;
    }
    return why;
  }

  /**
   * The transaction of the agent at {@code buffer[keyOffset]} with nonce {@code n} was refused for
   * load before it reached the pool (the node's admission gates refuse a whole frame before any
   * signature is checked, and so does a full input ring): recorded like the pool's own refusals, so
   * the agent's later nonces are refused {@link Admission#AFTER_REFUSED} until its next nonce
   * passes {@code n}, instead of being held behind a gap the node made. The record is not verified,
   * so an agent the pool does not know is not added for it, and a forged refusal can do no more
   * than make the agent's later nonces retry until its own nonce {@code n} arrives.
   */
  public void refusedBeforeAdmission(DirectBuffer buffer, int keyOffset, long n) {
    int agent = findAgent(buffer, keyOffset);
    if (agent >= 0) {
      refused(agent, n, Admission.POOL_FULL);
      metrics.refusedBeforeAdmission++;
    }
  }

  /** The agent's next nonce moved: a refusal it passed is no longer outstanding. */
  private void clearRefusalReached(int agent) {
    if (refusedFrom[agent] != NO_REFUSAL
        && Long.compareUnsigned(expectedNonce[agent], refusedFrom[agent]) > 0) {
      refusedFrom[agent] = NO_REFUSAL;
    }
  }

  /**
   * Moves up to {@code max} transactions, best first, to {@code sink} and forgets them.
   *
   * @return how many were drained
   */
  public int drain(int max, TxSink sink) {
    int count = 0;
    while (count < max && heapSize > 0) {
      int slot = heapPop();
      int agent = agentOf[slot];
      int successor = next[slot];
      readyHead[agent] = successor;
      if (successor == NONE) {
        readyTail[agent] = NONE;
      } else {
        heapPush(successor);
      }
      pending[agent]--;
      try {
        sink.onTransaction(slab, slot * ENCODED_LENGTH);
      } finally {
        freeSlots[freeTop++] = slot;
        count++;
      }
    }
    metrics.drained += count;
    return count;
  }

  /**
   * Ready transactions (eligible now or after their agent's earlier nonces): not held, and not
   * returned ones still waiting for the ledger ({@link #returnedCount}), so a batch sealed when
   * this is positive is never empty.
   */
  public int readyCount() {
    return size() - heldCount - returnedCount;
  }

  // ---- agents --------------------------------------------------------------------------------

  private int hash(DirectBuffer b, int keyOffset) {
    long h = hashSeed;
    for (int i = 0; i < 32; i += 8) {
      h = (h ^ b.getLong(keyOffset + i, LE)) * 0x9E3779B97F4A7C15L;
      h ^= h >>> 29;
    }
    return (int) (h ^ (h >>> 32));
  }

  private int findOrAddAgent(DirectBuffer b, int keyOffset) {
    int i = hash(b, keyOffset) & agentMask;
    while (true) {
      int entry = table[i];
      if (entry == 0) {
        if (agentCount == agentRoom) {
          if (agentRoom == config.maxAgents()) {
            return NONE;
          }
          growAgents((int) Math.min(config.maxAgents(), 2L * agentRoom));
          return findOrAddAgent(b, keyOffset); // the table was rebuilt: probe it again
        }
        int agent = agentCount++;
        b.getBytes(keyOffset, agentKeys, agent * 32, 32);
        table[i] = agent + 1;
        expectedNonce[agent] = nonceSource.committedNextNonce(b, keyOffset);
        readyHead[agent] = NONE;
        readyTail[agent] = NONE;
        heldHead[agent] = NONE;
        returnedHead[agent] = NONE;
        pending[agent] = 0;
        refusedFrom[agent] = NO_REFUSAL;
        return agent;
      }
      int agent = entry - 1;
      if (sameKey(b, keyOffset, agent)) {
        return agent;
      }
      i = (i + 1) & agentMask;
    }
  }

  private int findAgent(DirectBuffer b, int keyOffset) {
    int i = hash(b, keyOffset) & agentMask;
    while (true) {
      int entry = table[i];
      if (entry == 0) {
        return NONE;
      }
      if (sameKey(b, keyOffset, entry - 1)) {
        return entry - 1;
      }
      i = (i + 1) & agentMask;
    }
  }

  private boolean sameKey(DirectBuffer b, int keyOffset, int agent) {
    int base = agent * 32;
    for (int k = 0; k < 32; k++) {
      if (b.getByte(keyOffset + k) != agentKeys[base + k]) {
        return false;
      }
    }
    return true;
  }

  // ---- per-agent queues ---------------------------------------------------------------------

  private void appendReady(int agent, int slot) {
    next[slot] = NONE;
    int tail = readyTail[agent];
    if (tail == NONE) {
      readyHead[agent] = slot;
      readyTail[agent] = slot;
      heapPush(slot);
    } else {
      next[tail] = slot;
      readyTail[agent] = slot;
    }
  }

  private void promoteHeld(int agent) {
    int head = heldHead[agent];
    while (head != NONE && nonce[head] == expectedNonce[agent]) {
      int after = next[head];
      unlinkHeldFifo(head);
      appendReady(agent, head);
      expectedNonce[agent]++;
      head = after;
    }
    heldHead[agent] = head;
  }

  private int findHeld(int agent, long n) {
    for (int s = heldHead[agent]; s != NONE; s = next[s]) {
      if (nonce[s] == n) {
        return s;
      }
      if (Long.compareUnsigned(nonce[s], n) > 0) {
        return NONE;
      }
    }
    return NONE;
  }

  private void insertHeld(int agent, int slot) {
    int prev = NONE;
    int s = heldHead[agent];
    while (s != NONE && Long.compareUnsigned(nonce[s], nonce[slot]) < 0) {
      prev = s;
      s = next[s];
    }
    next[slot] = s;
    if (prev == NONE) {
      heldHead[agent] = slot;
    } else {
      next[prev] = slot;
    }
    heldSinceNs[slot] = lastNowNs;
    heldPrev[slot] = heldNewest;
    heldNext[slot] = NONE;
    if (heldNewest == NONE) {
      heldOldest = slot;
    } else {
      heldNext[heldNewest] = slot;
    }
    heldNewest = slot;
    heldCount++;
  }

  private void unlinkHeldFifo(int slot) {
    int p = heldPrev[slot];
    int n = heldNext[slot];
    if (p == NONE) {
      heldOldest = n;
    } else {
      heldNext[p] = n;
    }
    if (n == NONE) {
      heldNewest = p;
    } else {
      heldPrev[n] = p;
    }
    heldCount--;
  }

  private void evictOldestHeld() {
    dropHeld(heldOldest);
    metrics.evicted++;
  }

  /** Removes held {@code slot} from its agent's held list and the pool, telling the drop sink. */
  private void dropHeld(int slot) {
    int agent = agentOf[slot];
    droppedSink.onTransaction(slab, slot * ENCODED_LENGTH);
    unlinkHeldFifo(slot);
    int prev = NONE;
    for (int s = heldHead[agent]; s != slot; s = next[s]) {
      prev = s;
    }
    if (prev == NONE) {
      heldHead[agent] = next[slot];
    } else {
      next[prev] = next[slot];
    }
    pending[agent]--;
    freeSlots[freeTop++] = slot;
  }

  // ---- heap of eligible heads ---------------------------------------------------------------

  /** True when slot a should be drained before slot b. */
  private boolean before(int a, int b) {
    int la = lane[a] & 0xFF;
    int lb = lane[b] & 0xFF;
    if (la != lb) {
      return la < lb;
    }
    int byFee = Long.compareUnsigned(fee[a], fee[b]);
    if (byFee != 0) {
      return byFee > 0;
    }
    return arrival[a] < arrival[b];
  }

  private void heapPush(int slot) {
    int i = heapSize++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(slot, heap[parent])) {
        break;
      }
      heap[i] = heap[parent];
      heapIndex[heap[i]] = i;
      i = parent;
    }
    heap[i] = slot;
    heapIndex[slot] = i;
  }

  private int heapPop() {
    int top = heap[0];
    heapRemove(0);
    return top;
  }

  /** Removes the heap entry at {@code index}. */
  private void heapRemove(int index) {
    int last = heap[--heapSize];
    if (index == heapSize) {
      return;
    }
    int i = index;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(last, heap[parent])) {
        break;
      }
      heap[i] = heap[parent];
      heapIndex[heap[i]] = i;
      i = parent;
    }
    if (i == index) {
      while (true) {
        int child = 2 * i + 1;
        if (child >= heapSize) {
          break;
        }
        if (child + 1 < heapSize && before(heap[child + 1], heap[child])) {
          child++;
        }
        if (!before(heap[child], last)) {
          break;
        }
        heap[i] = heap[child];
        heapIndex[heap[i]] = i;
        i = child;
      }
    }
    heap[i] = last;
    heapIndex[last] = i;
  }
}
