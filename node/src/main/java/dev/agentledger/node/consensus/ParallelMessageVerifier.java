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

  /** The items of {@link #batch} not known: what the threads verify (owner: the item's index). */
  private final MessageSignatures unknown = new MessageSignatures();

  private final KnownSignatures known;
  private boolean[] itemValid = new boolean[64];
  private int[] unknownIndex = new int[64];
  private volatile long checked;
  private volatile long skipped;

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
    this(messageVerifier, rangeVerifiers, threads, minItemsPerThread, 0);
  }

  /**
   * @param knownCapacity how many valid signatures to remember, so that one that comes again (a
   *     vertex's inside its certificate, a repeated certificate, an own vote inside a peer's
   *     certificate: see {@link #remember}) is not verified again; 0: remember none
   */
  public ParallelMessageVerifier(
      MessageVerifier messageVerifier,
      Supplier<RangeVerifier> rangeVerifiers,
      int threads,
      int minItemsPerThread,
      int knownCapacity) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    this.messageVerifier = messageVerifier;
    this.rangeVerifier = ThreadLocal.withInitial(rangeVerifiers);
    this.threads = threads;
    this.minItemsPerThread = Math.max(1, minItemsPerThread);
    this.known = knownCapacity > 0 ? new KnownSignatures(knownCapacity) : null;
    this.pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "consensus-verify");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * More signatures a message depends on, beyond its own consensus signatures: appended to the same
   * batch, so that they are verified in the same multi-scalar multiplications instead of a small
   * batch each (the primary adds the acknowledgements of the worker batch certificates that peers'
   * batch references carry).
   */
  @FunctionalInterface
  public interface ExtraSignatures {
    /**
     * Appends the extra signatures of {@code message} to {@code batch} under {@code owner}; returns
     * false if the message is malformed in a way no signature can fix.
     */
    boolean collect(int owner, ConsensusMessage message, MessageSignatures batch);
  }

  /**
   * One result per message: true if well-formed and every signature verifies. Signatures already
   * known valid are not verified again; the ones verified valid here become known. Not thread-safe.
   */
  public boolean[] verifyAll(List<ConsensusMessage> messages) {
    return verifyAll(messages, (owner, message, items) -> true);
  }

  /**
   * As {@link #verifyAll(List)}, with each message's {@code extra} signatures in the same batch: a
   * message is valid only if those verify too.
   */
  public boolean[] verifyAll(List<ConsensusMessage> messages, ExtraSignatures extra) {
    boolean[] valid = new boolean[messages.size()];
    Arrays.fill(valid, true);
    batch.clear();
    for (int i = 0; i < messages.size(); i++) {
      valid[i] = messageVerifier.collect(i, messages.get(i), batch);
      valid[i] &= extra.collect(i, messages.get(i), batch);
    }
    int items = batch.size();
    if (known == null) {
      checked += items;
      verify(batch);
      batch.ownerValid(valid);
      return valid;
    }
    unknown.clear();
    if (unknownIndex.length < items) {
      unknownIndex = new int[Math.max(items, unknownIndex.length * 2)];
    }
    for (int i = 0; i < items; i++) {
      if (known.contains(batch.signer(i), batch.message(i), batch.signature(i))) {
        batch.setResult(i, true);
      } else {
        unknownIndex[unknown.size()] = i;
        unknown.add(i, batch.signer(i), batch.message(i), batch.signature(i));
      }
    }
    checked += unknown.size();
    skipped += items - unknown.size();
    if (unknown.size() > 0) {
      verify(unknown);
      if (itemValid.length < items) {
        itemValid = new boolean[Math.max(items, itemValid.length * 2)];
      }
      Arrays.fill(itemValid, 0, items, true);
      unknown.ownerValid(itemValid);
      for (int k = 0; k < unknown.size(); k++) {
        int i = unknownIndex[k];
        batch.setResult(i, itemValid[i]);
        if (itemValid[i]) {
          known.add(batch.signer(i), batch.message(i), batch.signature(i));
        }
      }
    }
    batch.ownerValid(valid);
    return valid;
  }

  /**
   * Holds a signature made with this validator's own key as valid, so that it is not verified when
   * it comes back inside a peer's certificate. No effect without a known-signature capacity.
   */
  public void remember(int signer, byte[] message, byte[] signature) {
    if (known != null) {
      known.add(signer, message, signature);
    }
  }

  private void verify(MessageSignatures items) {
    int n = items.size();
    int parts = (int) Math.max(1, Math.min(threads, n / minItemsPerThread));
    if (parts == 1) {
      rangeVerifier.get().verifyRange(items, 0, n);
      return;
    }
    List<Future<?>> futures = new ArrayList<>(parts);
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) n * p / parts);
      int to = (int) ((long) n * (p + 1) / parts);
      futures.add(pool.submit(() -> rangeVerifier.get().verifyRange(items, from, to)));
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

  /** Signatures checked so far (every item of every batch, whatever its verdict). */
  public long checked() {
    return checked;
  }

  /** Signatures not verified because they were known valid (see {@link #remember}). */
  public long skipped() {
    return skipped;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
