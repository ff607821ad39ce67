package dev.agentledger.node.execution.core;

import java.util.List;

/**
 * One unit of ordered input to execution: what consensus committed under one anchor, flattened.
 * {@code sequence} numbers commits 1, 2, 3, ... without gaps; {@code round} and {@code anchor} name
 * the consensus anchor; {@code batchDigests} are the certified batches in commit order, and {@code
 * transactions} their records in order (each record one encoded transaction, its kind at byte 1).
 * The consensus module's committed sub-DAG maps onto this record.
 */
public record CommittedInput(
    long sequence,
    long round,
    byte[] anchor,
    List<byte[]> batchDigests,
    List<byte[]> transactions) {
  public CommittedInput {
    if (anchor.length != 32) {
      throw new IllegalArgumentException("anchor digest must be 32 bytes");
    }
    for (byte[] digest : batchDigests) {
      if (digest.length != 32) {
        throw new IllegalArgumentException("batch digest must be 32 bytes");
      }
    }
    batchDigests = List.copyOf(batchDigests);
    transactions = List.copyOf(transactions);
  }
}
