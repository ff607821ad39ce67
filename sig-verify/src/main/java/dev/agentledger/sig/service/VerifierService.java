package dev.agentledger.sig.service;

import dev.agentledger.sig.BatchVerifier;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The signature-verification stage: a bounded input queue with explicit rejection, batch assembly
 * by size or deadline, a pool of verifier threads, a router that sends each batch to a backend
 * ({@link BatchVerifier}: CPU by default, accelerators through the same interface), and {@link
 * VerifierMetrics}.
 *
 * <p>Offering copies seven references and a tag into a preallocated ring slot (no allocation, no
 * copy of the bytes: the caller keeps the arrays unchanged until its listener is called). Each
 * verifier thread runs a {@link VerifierAgent}: it takes up to {@code maxBatch} items when that
 * many are queued or when the oldest item has waited {@code maxDelayNs}, verifies them on its own
 * backend instance, and calls each item's {@link VerdictListener} in queue order. Verdicts are
 * exactly those of {@link Ed25519#verify} (ZIP-215), whatever the batch composition.
 *
 * <pre>{@code
 * try (VerifierService service = VerifierService.builder().threads(2).build()) {
 *   boolean accepted = service.offer(pk, 0, sig, 0, msg, 0, msg.length, txId, (tag, ok) -> ...);
 *   if (!accepted) { ... reject upstream: the queue is full (back-pressure) ... }
 * }
 * }</pre>
 */
public final class VerifierService implements AutoCloseable {
  private final int capacity;
  private final int maxBatch;
  private final long maxDelayNs;
  private final BatchRouter router;
  private final List<Supplier<? extends BatchVerifier>> backends;

  // The ring: slot i holds one request; guarded by lock.
  private final byte[][] publicKeys;
  private final int[] publicKeyOffsets;
  private final byte[][] signatures;
  private final int[] signatureOffsets;
  private final byte[][] messages;
  private final int[] messageOffsets;
  private final int[] messageLengths;
  private final long[] tags;
  private final VerdictListener[] listeners;
  private final long[] enqueuedNs;
  private long head; // next to take
  private long tail; // next free
  private boolean closed;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition itemsAvailable = lock.newCondition();

  private final VerifierMetrics metrics;
  private final List<Thread> threads = new ArrayList<>();

  private VerifierService(Builder b) {
    this.capacity = b.queueCapacity;
    this.maxBatch = b.maxBatch;
    this.maxDelayNs = b.maxDelayNs;
    this.router = b.router;
    this.backends = List.copyOf(b.backends);
    publicKeys = new byte[capacity][];
    publicKeyOffsets = new int[capacity];
    signatures = new byte[capacity][];
    signatureOffsets = new int[capacity];
    messages = new byte[capacity][];
    messageOffsets = new int[capacity];
    messageLengths = new int[capacity];
    tags = new long[capacity];
    listeners = new VerdictListener[capacity];
    enqueuedNs = new long[capacity];
    String[] names = new String[backends.size()];
    List<List<BatchVerifier>> perThread = new ArrayList<>();
    for (int t = 0; t < b.threads; t++) {
      List<BatchVerifier> instances = new ArrayList<>();
      for (Supplier<? extends BatchVerifier> supplier : backends) {
        instances.add(Objects.requireNonNull(supplier.get(), "backend supplier returned null"));
      }
      perThread.add(instances);
    }
    for (int i = 0; i < names.length; i++) {
      names[i] = perThread.get(0).get(i).name();
    }
    metrics = new VerifierMetrics(names, this::queueDepth, System.nanoTime());
    for (int t = 0; t < b.threads; t++) {
      VerifierAgent agent = new VerifierAgent(perThread.get(t));
      Thread thread = Thread.ofPlatform().name(b.name + "-" + t).daemon(true).unstarted(agent::run);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Queues one item. Returns false, counting a rejection, when the queue is full or the service is
   * closed; the listener is then never called. Thread-safe.
   */
  public boolean offer(
      byte[] publicKey,
      int publicKeyOffset,
      byte[] signature,
      int signatureOffset,
      byte[] message,
      int messageOffset,
      int messageLength,
      long tag,
      VerdictListener listener) {
    Objects.checkFromIndexSize(publicKeyOffset, Ed25519.PUBLIC_KEY_BYTES, publicKey.length);
    Objects.checkFromIndexSize(signatureOffset, Ed25519.SIGNATURE_BYTES, signature.length);
    Objects.checkFromIndexSize(messageOffset, messageLength, message.length);
    Objects.requireNonNull(listener, "listener");
    long now = System.nanoTime();
    lock.lock();
    try {
      if (closed || tail - head == capacity) {
        metrics.rejected.increment();
        return false;
      }
      int slot = (int) (tail % capacity);
      publicKeys[slot] = publicKey;
      publicKeyOffsets[slot] = publicKeyOffset;
      signatures[slot] = signature;
      signatureOffsets[slot] = signatureOffset;
      messages[slot] = message;
      messageOffsets[slot] = messageOffset;
      messageLengths[slot] = messageLength;
      tags[slot] = tag;
      listeners[slot] = listener;
      enqueuedNs[slot] = now;
      tail++;
      metrics.offered.increment();
      if (tail - head == maxBatch || tail - head == 1) {
        itemsAvailable.signal();
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whole-array convenience form of {@link #offer(byte[], int, byte[], int, byte[], int, int, long,
   * VerdictListener)}.
   */
  public boolean offer(
      byte[] publicKey, byte[] signature, byte[] message, long tag, VerdictListener listener) {
    return offer(publicKey, 0, signature, 0, message, 0, message.length, tag, listener);
  }

  /** Items queued and not yet taken by a verifier thread. */
  public int queueDepth() {
    lock.lock();
    try {
      return (int) (tail - head);
    } finally {
      lock.unlock();
    }
  }

  public VerifierMetrics metrics() {
    return metrics;
  }

  public int queueCapacity() {
    return capacity;
  }

  public int maxBatch() {
    return maxBatch;
  }

  /**
   * Stops accepting items, verifies everything already queued (every accepted item gets its
   * verdict), and joins the verifier threads.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      itemsAvailable.signalAll();
    } finally {
      lock.unlock();
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * One verifier thread's duty cycle: take a batch (by size or deadline), verify it on the routed
   * backend, deliver verdicts. Owns its batch, verdict array and backend instances.
   */
  private final class VerifierAgent {
    private final List<BatchVerifier> instances;
    private final SignatureBatch batch = new SignatureBatch(maxBatch);
    private final boolean[] verdicts = new boolean[maxBatch];
    private final long[] batchTags = new long[maxBatch];
    private final VerdictListener[] batchListeners = new VerdictListener[maxBatch];

    VerifierAgent(List<BatchVerifier> instances) {
      this.instances = instances;
    }

    void run() {
      while (true) {
        int taken = take();
        if (taken < 0) {
          return;
        }
        if (taken > 0) {
          verifyAndDeliver(taken);
        }
      }
    }

    /** Blocks until a batch is ready; returns its size, or -1 when closed and drained. */
    private int take() {
      lock.lock();
      try {
        while (true) {
          long queued = tail - head;
          if (queued >= maxBatch || (queued > 0 && closed)) {
            break;
          }
          if (queued == 0) {
            if (closed) {
              return -1;
            }
            itemsAvailable.awaitUninterruptibly();
            continue;
          }
          long waitedNs = System.nanoTime() - enqueuedNs[(int) (head % capacity)];
          long remainingNs = maxDelayNs - waitedNs;
          if (remainingNs <= 0) {
            break;
          }
          try {
            itemsAvailable.awaitNanos(remainingNs);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
          }
        }
        int n = (int) Math.min(maxBatch, tail - head);
        batch.clear();
        for (int i = 0; i < n; i++) {
          int slot = (int) (head % capacity);
          batch.add(
              publicKeys[slot],
              publicKeyOffsets[slot],
              signatures[slot],
              signatureOffsets[slot],
              messages[slot],
              messageOffsets[slot],
              messageLengths[slot]);
          batchTags[i] = tags[slot];
          batchListeners[i] = listeners[slot];
          publicKeys[slot] = null;
          signatures[slot] = null;
          messages[slot] = null;
          listeners[slot] = null;
          head++;
        }
        if (tail - head > 0) {
          itemsAvailable.signal(); // more for another thread
        }
        return n;
      } finally {
        lock.unlock();
      }
    }

    private void verifyAndDeliver(int n) {
      int backend = router.route(n, instances.size());
      int valid = instances.get(backend).verify(batch, verdicts);
      metrics.recordBatch(n, n - valid, backend);
      for (int i = 0; i < n; i++) {
        try {
          batchListeners[i].onVerdict(batchTags[i], verdicts[i]);
        } catch (RuntimeException e) {
          // a listener's failure must not stop verification of other items
          Thread t = Thread.currentThread();
          t.getUncaughtExceptionHandler().uncaughtException(t, e);
        }
        batchListeners[i] = null;
      }
      batch.clear();
    }
  }

  /** Configuration of a {@link VerifierService}. */
  public static final class Builder {
    private int queueCapacity = 1 << 16;
    private int maxBatch = 1024;
    private long maxDelayNs = TimeUnit.MILLISECONDS.toNanos(2);
    private int threads = Runtime.getRuntime().availableProcessors();
    private final List<Supplier<? extends BatchVerifier>> backends = new ArrayList<>();
    private BatchRouter router = BatchRouter.first();
    private String name = "sig-verifier";

    private Builder() {}

    /** Bounded queue length; offers beyond it are rejected. */
    public Builder queueCapacity(int items) {
      if (items <= 0) {
        throw new IllegalArgumentException("queue capacity must be positive");
      }
      this.queueCapacity = items;
      return this;
    }

    /** A batch is cut when this many items are queued. */
    public Builder maxBatch(int items) {
      if (items <= 0) {
        throw new IllegalArgumentException("max batch must be positive");
      }
      this.maxBatch = items;
      return this;
    }

    /** ... or when the oldest queued item has waited this long. */
    public Builder maxDelay(long duration, TimeUnit unit) {
      this.maxDelayNs = Math.max(0, unit.toNanos(duration));
      return this;
    }

    public Builder threads(int count) {
      if (count <= 0) {
        throw new IllegalArgumentException("threads must be positive");
      }
      this.threads = count;
      return this;
    }

    /** Adds a backend (one instance per thread is made); the first added is index 0. */
    public Builder backend(Supplier<? extends BatchVerifier> backend) {
      backends.add(Objects.requireNonNull(backend));
      return this;
    }

    public Builder router(BatchRouter router) {
      this.router = Objects.requireNonNull(router);
      return this;
    }

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name);
      return this;
    }

    public VerifierService build() {
      if (backends.isEmpty()) {
        backends.add(CpuBatchVerifier::new);
      }
      if (maxBatch > queueCapacity) {
        maxBatch = queueCapacity;
      }
      return new VerifierService(this);
    }
  }
}
