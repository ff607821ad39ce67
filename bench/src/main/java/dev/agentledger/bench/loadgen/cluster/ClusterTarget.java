package dev.agentledger.bench.loadgen.cluster;

import dev.agentledger.bench.loadgen.CompletionListener;
import dev.agentledger.bench.loadgen.LoadTarget;
import dev.agentledger.bench.loadgen.StageCost;
import dev.agentledger.bench.loadgen.TargetInfo;
import dev.agentledger.hash.Sha256;
import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The real cluster as a load target: pre-signed runs go to the validators' client ports through
 * {@link AgentLedgerClient}, and a transaction counts as committed only when the node it was sent
 * to answers a {@code TX_QUERY} with a commit index, that is, once consensus has ordered it.
 *
 * <p>Each agent is pinned to one validator (by its public key), so its nonces arrive at that
 * validator in the order they were signed. Per validator there are three threads and two
 * connections:
 *
 * <ul>
 *   <li>{@link #submit} (the generator's thread) copies the record into the validator's
 *       single-producer ring; when the ring is full the transaction is refused at once as {@code
 *       overload_client_queue} (the generator never blocks: open loop);
 *   <li>a sender drains the ring into {@code SUBMIT} frames of up to {@value
 *       Wire#MAX_SUBMIT_RECORDS} runs, computing each transaction id (SHA-256 of the record);
 *   <li>a reader takes the {@code SUBMIT_RESULT}s in order: {@code ACCEPTED} is reported and the
 *       transaction waits for its commit; every other status is a rejection by reason ({@code
 *       overloaded}, {@code rate_limited} and {@code agent_limit} are load shedding and carry the
 *       {@value LoadTarget#OVERLOAD_PREFIX} prefix);
 *   <li>a poller asks, over its own connection, for the commit index of every accepted and not yet
 *       committed transaction, {@value Wire#MAX_QUERY_IDS} ids per query, every poll interval
 *       (longer when many are pending: the ids asked per second are capped so that the measurement
 *       does not load the nodes); the commit time is when the answer arrived (detection, so latency
 *       includes up to one poll period).
 * </ul>
 *
 * Accepted transactions that never commit stay outstanding; the load generator reports them as lost
 * after its drain timeout.
 */
public final class ClusterTarget implements LoadTarget {
  /**
   * @param validators client addresses, one per validator
   * @param ringBytes capacity of each validator's submission ring (power of two)
   * @param pollIntervalNs least pause between two commit polls of one validator
   * @param maxQueryIdsPerSec most transaction ids asked per second per validator (a sweep over many
   *     pending ids is followed by a longer pause), so that polling does not load the nodes it
   *     measures
   * @param sigverifyBackend what verifies signatures in the nodes, for the report
   * @param stageCosts CPU costs the caller can measure (for example of the node processes); may
   *     return empty
   */
  public record Config(
      List<InetSocketAddress> validators,
      int ringBytes,
      long pollIntervalNs,
      long maxQueryIdsPerSec,
      String sigverifyBackend,
      Supplier<List<StageCost>> stageCosts) {
    public Config {
      validators = List.copyOf(validators);
      if (validators.isEmpty()) {
        throw new IllegalArgumentException("at least one validator address");
      }
      if (Integer.bitCount(ringBytes) != 1 || ringBytes < 1 << 16) {
        throw new IllegalArgumentException("ringBytes must be a power of two >= 65536");
      }
      if (pollIntervalNs < 0 || maxQueryIdsPerSec < 1) {
        throw new IllegalArgumentException(
            "poll interval must be >= 0 and the query rate positive");
      }
    }

    public Config withPolling(long newPollIntervalNs, long newMaxQueryIdsPerSec) {
      return new Config(
          validators,
          ringBytes,
          newPollIntervalNs,
          newMaxQueryIdsPerSec,
          sigverifyBackend,
          stageCosts);
    }

    public Config withStageCosts(Supplier<List<StageCost>> newStageCosts) {
      return new Config(
          validators,
          ringBytes,
          pollIntervalNs,
          maxQueryIdsPerSec,
          sigverifyBackend,
          newStageCosts);
    }

    public static Config of(List<InetSocketAddress> validators, String sigverifyBackend) {
      return new Config(
          validators,
          1 << 24,
          TimeUnit.MILLISECONDS.toNanos(10),
          10_000,
          sigverifyBackend,
          List::of);
    }
  }

  private static final int RECORD = AgentRunDescriptor.ENCODED_LENGTH;
  private static final int MESSAGE = 8 + RECORD;
  private static final String[] REASONS = new String[256];

  static {
    for (TxStatus status : TxStatus.values()) {
      REASONS[status.code()] =
          switch (status) {
            case OVERLOADED -> "overloaded";
            case RATE_LIMITED -> OVERLOAD_PREFIX + "_rate_limited";
            case AGENT_LIMIT -> OVERLOAD_PREFIX + "_agent_limit";
            default -> status.name().toLowerCase(java.util.Locale.ROOT);
          };
    }
  }

  /** The rejection reason reported for a status code (constant strings). */
  static String reason(TxStatus status) {
    return status == null ? "unknown_status" : REASONS[status.code()];
  }

  private final Config config;
  private final Lane[] lanes;
  private final AtomicReference<String> failure = new AtomicReference<>();
  private volatile boolean running;
  private CompletionListener listener;

  public ClusterTarget(Config config) {
    this.config = config;
    this.lanes = new Lane[config.validators().size()];
  }

  @Override
  public TargetInfo info() {
    return new TargetInfo(
        "cluster",
        config.validators().size()
            + " validator processes on "
            + config.validators()
            + ": client ingress, Ed25519 verification, mempool, worker batches, DAG-BFT consensus (separate JVMs, RocksDB)",
        "the validator the run was sent to reports a consensus commit index for its transaction id (TX_QUERY);"
            + " latency is from the intended send time to the poll that saw the commit",
        config.sigverifyBackend());
  }

  @Override
  public void start(CompletionListener completions) throws Exception {
    this.listener = completions;
    running = true;
    try {
      for (int i = 0; i < lanes.length; i++) {
        lanes[i] = new Lane(i, config.validators().get(i));
      }
    } catch (IOException e) {
      close();
      throw new IOException("cannot connect to the cluster: " + e.getMessage(), e);
    }
    for (Lane lane : lanes) {
      lane.startThreads();
    }
  }

  /** Which validator takes an agent's runs: a fixed function of its public key. */
  static int laneOf(DirectBuffer buffer, int offset, int lanes) {
    int h =
        buffer.getInt(offset + AgentRunDescriptor.AGENT_OFFSET, java.nio.ByteOrder.LITTLE_ENDIAN);
    return Math.floorMod(h, lanes);
  }

  @Override
  public void submit(
      DirectBuffer buffer, int offset, int length, long sequence, long intendedSendNs) {
    Lane lane = lanes[laneOf(buffer, offset, lanes.length)];
    OneToOneRingBuffer ring = lane.ring;
    int index = ring.tryClaim(1, MESSAGE);
    if (index < 0) {
      listener.onRejected(sequence, OVERLOAD_PREFIX + "_client_queue", System.nanoTime());
      return;
    }
    ring.buffer().putLong(index, sequence);
    ring.buffer().putBytes(index + 8, buffer, offset, length);
    ring.commit(index);
  }

  @Override
  public List<StageCost> stageCosts() {
    return config.stageCosts().get();
  }

  /** The first I/O failure of any connection, or null. */
  public String failure() {
    return failure.get();
  }

  @Override
  public void close() throws Exception {
    running = false;
    for (Lane lane : lanes) {
      if (lane != null) {
        lane.close();
      }
    }
  }

  /** One SUBMIT in flight: the sequences and ids of its records, in order. */
  private record InFlight(long requestId, long[] sequences, byte[] ids) {}

  /** Accepted transactions of one SUBMIT, waiting for their commits. */
  private record Accepted(long[] sequences, byte[] ids, int count) {}

  private final class Lane {
    final int index;
    final OneToOneRingBuffer ring;
    final AgentLedgerClient submitClient;
    final AgentLedgerClient queryClient;
    final BlockingQueue<InFlight> inFlight = new ArrayBlockingQueue<>(1 << 16);
    final ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
    final List<Thread> threads = new ArrayList<>();

    Lane(int index, InetSocketAddress address) throws IOException {
      this.index = index;
      this.ring =
          new OneToOneRingBuffer(
              new UnsafeBuffer(
                  ByteBuffer.allocateDirect(
                      config.ringBytes() + RingBufferDescriptor.TRAILER_LENGTH)));
      this.submitClient = AgentLedgerClient.connect(address.getHostString(), address.getPort());
      AgentLedgerClient query;
      try {
        query = AgentLedgerClient.connect(address.getHostString(), address.getPort());
      } catch (IOException e) {
        submitClient.close();
        throw e;
      }
      this.queryClient = query;
    }

    void startThreads() {
      threads.add(Thread.ofPlatform().daemon().name("cluster-send-" + index).start(this::sendLoop));
      threads.add(
          Thread.ofPlatform().daemon().name("cluster-results-" + index).start(this::resultLoop));
      threads.add(Thread.ofPlatform().daemon().name("cluster-poll-" + index).start(this::pollLoop));
    }

    private void fail(String what, Exception e) {
      if (running) {
        failure.compareAndSet(null, "validator " + index + " " + what + ": " + e);
      }
    }

    void sendLoop() {
      int max = Wire.MAX_SUBMIT_RECORDS;
      byte[][] records = new byte[max][RECORD];
      long[] sequences = new long[max];
      int[] count = new int[1];
      UnsafeBuffer[] views = new UnsafeBuffer[max];
      for (int i = 0; i < max; i++) {
        views[i] = new UnsafeBuffer(records[i]);
      }
      List<byte[]> recordList = Arrays.asList(records);
      AgentRunFlyweight run = new AgentRunFlyweight();
      Sha256 hasher = new Sha256();
      IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
      try {
        while (running) {
          count[0] = 0;
          ring.read(
              (type, buffer, at, length) -> {
                int n = count[0]++;
                sequences[n] = buffer.getLong(at);
                buffer.getBytes(at + 8, records[n]);
              },
              max);
          int n = count[0];
          if (n == 0) {
            idle.idle();
            continue;
          }
          idle.reset();
          byte[] ids = new byte[n * 32];
          for (int i = 0; i < n; i++) {
            run.wrap(views[i], 0);
            run.transactionId(hasher, ids, i * 32);
          }
          long[] seqs = Arrays.copyOf(sequences, n);
          // The reader waits in take() when an answer overtakes this put.
          long requestId = submitClient.send(recordList.subList(0, n));
          inFlight.put(new InFlight(requestId, seqs, ids));
        }
      } catch (IOException | InterruptedException e) {
        fail("submit connection", e);
      }
    }

    void resultLoop() {
      try {
        while (running) {
          AgentLedgerClient.SubmitResult result = submitClient.readResult();
          long now = System.nanoTime();
          InFlight request = inFlight.take();
          if (request.requestId() != result.requestId()
              || request.sequences().length != result.statuses().size()) {
            throw new IOException(
                "answer "
                    + result.requestId()
                    + " ("
                    + result.statuses().size()
                    + " statuses) does not match request "
                    + request.requestId()
                    + " ("
                    + request.sequences().length
                    + " records)");
          }
          long[] acceptedSeqs = new long[request.sequences().length];
          byte[] acceptedIds = new byte[request.ids().length];
          int a = 0;
          for (int i = 0; i < request.sequences().length; i++) {
            TxStatus status = result.statuses().get(i);
            long sequence = request.sequences()[i];
            if (status == TxStatus.ACCEPTED) {
              acceptedSeqs[a] = sequence;
              System.arraycopy(request.ids(), i * 32, acceptedIds, a * 32, 32);
              a++;
              listener.onAccepted(sequence, now);
            } else {
              listener.onRejected(sequence, reason(status), now);
            }
          }
          if (a > 0) {
            accepted.add(new Accepted(acceptedSeqs, acceptedIds, a));
          }
        }
      } catch (IOException | InterruptedException e) {
        fail("submit results", e);
      }
    }

    void pollLoop() {
      int max = Wire.MAX_QUERY_IDS;
      long[] pendingSeqs = new long[1 << 12];
      byte[] pendingIds = new byte[32 << 12];
      int pending = 0;
      byte[][] ids = new byte[max][32];
      List<byte[]> idList = Arrays.asList(ids);
      try {
        while (running) {
          for (Accepted a; (a = accepted.poll()) != null; ) {
            if (pending + a.count() > pendingSeqs.length) {
              int size = Math.max(pendingSeqs.length * 2, pending + a.count());
              pendingSeqs = Arrays.copyOf(pendingSeqs, size);
              pendingIds = Arrays.copyOf(pendingIds, size * 32);
            }
            System.arraycopy(a.sequences(), 0, pendingSeqs, pending, a.count());
            System.arraycopy(a.ids(), 0, pendingIds, pending * 32, a.count() * 32);
            pending += a.count();
          }
          int kept = 0;
          for (int from = 0; from < pending; from += max) {
            int n = Math.min(pending, from + max) - from;
            for (int i = 0; i < n; i++) {
              System.arraycopy(pendingIds, (from + i) * 32, ids[i], 0, 32);
            }
            long[] indexes = queryClient.committedIndexes(idList.subList(0, n));
            long now = System.nanoTime();
            for (int i = 0; i < n; i++) {
              int at = from + i;
              if (indexes[i] >= 0) {
                listener.onCommitted(pendingSeqs[at], now);
              } else {
                pendingSeqs[kept] = pendingSeqs[at];
                System.arraycopy(pendingIds, at * 32, pendingIds, kept * 32, 32);
                kept++;
              }
            }
          }
          long queried = pending;
          pending = kept;
          TimeUnit.NANOSECONDS.sleep(
              Math.max(
                  config.pollIntervalNs(), queried * 1_000_000_000L / config.maxQueryIdsPerSec()));
        }
      } catch (IOException | InterruptedException e) {
        fail("commit queries", e);
      }
    }

    void close() {
      try {
        submitClient.close();
      } catch (IOException ignored) {
        // closing
      }
      try {
        queryClient.close();
      } catch (IOException ignored) {
        // closing
      }
      for (Thread thread : threads) {
        thread.interrupt();
        try {
          thread.join(2_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
