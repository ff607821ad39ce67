package dev.agentledger.node.execution.core;

/**
 * Checks the signatures of a commit's records up front, all at once (a batch verifier), before
 * {@link LedgerExecutor} executes them one by one. A verdict must equal what single verification of
 * that record gives (batch verification with per-item fallback does), so validators using different
 * checks still reach the same state roots.
 */
@FunctionalInterface
public interface SignatureCheck {
  /** The record's signature is valid. */
  byte VALID = 1;

  /** The record's signature is invalid. */
  byte INVALID = 0;

  /**
   * Not checked here (a kind or length this check does not handle): the executor verifies it alone.
   */
  byte UNCHECKED = -1;

  /**
   * Writes one verdict per record to {@code verdicts[0, records.size())}: {@link #VALID}, {@link
   * #INVALID} or {@link #UNCHECKED}. {@code verdicts} has room for every record; the records are
   * read in place.
   */
  void check(TransactionRecords records, byte[] verdicts);
}
