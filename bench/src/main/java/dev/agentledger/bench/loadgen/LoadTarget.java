package dev.agentledger.bench.loadgen;

import java.util.List;
import org.agrona.DirectBuffer;

/**
 * The system under test as the load generator sees it: submit encoded {@code AgentRun} records,
 * hear back through a {@link CompletionListener}. Kept small so that the cluster client (Netty,
 * branch nodedata) can implement it in a few lines; {@link
 * dev.agentledger.bench.loadgen.local.LocalPipelineTarget} is the in-process implementation.
 *
 * <p>Times are {@link System#nanoTime()} of the generator's JVM (for an in-process target, the same
 * clock; a remote target stamps commits when the client learns of them).
 */
public interface LoadTarget extends AutoCloseable {
  /** Prefix of rejection reasons that mean "shed for overload" (back-pressure), not bad input. */
  String OVERLOAD_PREFIX = "overload";

  /** What the target is and what "committed" means for it (printed in every report). */
  TargetInfo info();

  /** Starts the target; completions go to {@code listener}. Called once, before any submit. */
  void start(CompletionListener listener) throws Exception;

  /**
   * Submits {@code buffer[offset, offset + length)}, due at {@code intendedSendNs}. Must not block
   * for long: a target that cannot take more rejects with an overload reason. The bytes may be
   * reused by the caller after the call returns.
   */
  void submit(DirectBuffer buffer, int offset, int length, long sequence, long intendedSendNs);

  /**
   * The drain ran out with transactions outstanding: stop resubmitting refused ones and report them
   * refused now (a target without resubmission has nothing to do).
   */
  default void stopRetrying() {}

  /**
   * How long after {@link #stopRetrying} the target may still turn outstanding accepted
   * transactions into answers through {@link #settle} (0: it cannot, and the drain ends at once).
   */
  default long settleNs() {
    return 0;
  }

  /**
   * Asks the system under test about the accepted transactions still outstanding, reports those it
   * answers as refused, and describes where the others are (one line, or null when it cannot tell).
   */
  default String settle() {
    return null;
  }

  /** CPU time each stage spent so far (cumulative); empty when the target cannot tell. */
  List<StageCost> stageCosts();

  /** Stops the target and releases everything; completions stop before this returns. */
  @Override
  void close() throws Exception;
}
