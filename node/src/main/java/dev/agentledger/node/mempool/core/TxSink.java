package dev.agentledger.node.mempool.core;

import org.agrona.DirectBuffer;

/**
 * Receives transactions drained from the mempool, in order; the record is valid only during the
 * call.
 */
@FunctionalInterface
public interface TxSink {
  void onTransaction(DirectBuffer buffer, int offset);
}
