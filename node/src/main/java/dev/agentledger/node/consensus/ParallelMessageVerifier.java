package dev.agentledger.node.consensus;

import dev.agentledger.node.consensus.core.ConsensusMessage;
import dev.agentledger.node.consensus.core.MessageSignatures;
import dev.agentledger.node.consensus.core.MessageVerifier;
import dev.agentledger.node.consensus.core.RangeVerifier;
import dev.agentledger.node.consensus.core.SignatureVerifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Verifies the signatures of a batch of inbound consensus messages on several threads: the
 * signatures of all messages (a certificate carries one per vote) are flattened into one {@link
 * MessageSignatures} and split into contiguous ranges, one per thread; the results fold back per
 * message. The consensus core then consumes the valid messages on its single thread, in the
 * original order. The verifier is an interface, so the sig-verify {@code VerifierService} (GPU or
 * SIMD batch verification) can replace the per-signature CPU check.
 */
public final class ParallelMessageVerifier implements AutoCloseable {
  private final MessageVerifier messageVerifier;
  private final ThreadLocal<RangeVerifier> rangeVerifier;
  private final ExecutorService pool;
  private final int threads;
  private final int minItemsPerThread;
  private final MessageSignatures batch = new MessageSignatures();

  public ParallelMessageVerifier(
      MessageVerifier messageVerifier,
      SignatureVerifier signatureVerifier,
      int threads,
      int minItemsPerThread) {
    this(messageVerifier, () -> RangeVerifier.of(signatureVerifier), threads, minItemsPerThread);
  }

  /**
   * @param rangeVerifiers makes one range verifier per verifying thread (a batch verifier keeps
   *     scratch state and is not thread-safe)
   */
  public ParallelMessageVerifier(
      MessageVerifier messageVerifier,
      Supplier<RangeVerifier> rangeVerifiers,
      int threads,
      int minItemsPerThread) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    this.messageVerifier = messageVerifier;
    this.rangeVerifier = ThreadLocal.withInitial(rangeVerifiers);
    this.threads = threads;
    this.minItemsPerThread = Math.max(1, minItemsPerThread);
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "consensus-verify");
              t.setDaemon(true);
              return t;
            });
  }

  /** One result per message: true if well-formed and every signature verifies. Not thread-safe. */
  public boolean[] verifyAll(List<ConsensusMessage> messages) {
    boolean[] valid = new boolean[messages.size()];
    Arrays.fill(valid, true);
    batch.clear();
    for (int i = 0; i < messages.size(); i++) {
      valid[i] = messageVerifier.collect(i, messages.get(i), batch);
    }
    int items = batch.size();
    int parts = (int) Math.max(1, Math.min(threads, items / minItemsPerThread));
    if (parts == 1) {
      rangeVerifier.get().verifyRange(batch, 0, items);
    } else {
      List<Future<?>> futures = new ArrayList<>(parts);
      for (int p = 0; p < parts; p++) {
        int from = (int) ((long) items * p / parts);
        int to = (int) ((long) items * (p + 1) / parts);
        futures.add(pool.submit(() -> rangeVerifier.get().verifyRange(batch, from, to)));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while verifying", e);
        } catch (ExecutionException e) {
          throw new IllegalStateException("verification failed", e.getCause());
        }
      }
    }
    batch.ownerValid(valid);
    return valid;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
