package dev.agentledger.node.execution.core;

import java.util.List;

/**
 * One unit of ordered input to execution: what consensus committed under one anchor, flattened.
 * {@code sequence} numbers commits 1, 2, 3, ... without gaps; {@code round} and {@code anchor} name
 * the consensus anchor; {@code batchDigests} are the certified batches in commit order, and {@code
 * records} their transaction records in order (each record one encoded transaction, its kind at
 * byte 1), held flat ({@link TransactionRecords}: one array for the whole commit). The consensus
 * module's committed sub-DAG maps onto this record.
 */
public record CommittedInput(
    long sequence,
    long round,
    byte[] anchor,
    List<byte[]> batchDigests,
    TransactionRecords records) {
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
    if (records == null) {
      throw new IllegalArgumentException("records must not be null");
    }
  }

  /** The input with {@code transactions} copied into one array. */
  public CommittedInput(
      long sequence,
      long round,
      byte[] anchor,
      List<byte[]> batchDigests,
      List<byte[]> transactions) {
    this(sequence, round, anchor, batchDigests, TransactionRecords.copyOf(transactions));
  }

  /** The records as a list; each {@code get} returns a copy of the record. */
  public List<byte[]> transactions() {
    return records.asList();
  }
}
