package dev.agentledger.node.execution.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Ledger-wide totals in state: version u8 (1) | supply | fees_collected | runs_recorded |
 * transactions_failed | last_commit_sequence (u64 each), so a state root also says which commit it
 * follows. Fees are taken out of circulation and counted here, so {@code sum(balances) +
 * fees_collected == supply} holds after every transaction.
 */
public final class LedgerTotals {
  public static final int ENCODED_LENGTH = 1 + 40;

  public long supply;
  public long feesCollected;
  public long runsRecorded;
  public long transactionsFailed;
  public long lastCommitSequence;
  private final long[] fieldScratch = new long[5];

  public LedgerTotals load(byte[] encoded) {
    if (encoded == null) {
      supply = feesCollected = runsRecorded = transactionsFailed = lastCommitSequence = 0;
      return this;
    }
    if (encoded.length != ENCODED_LENGTH || encoded[0] != 1) {
      throw new IllegalArgumentException("not a totals record");
    }
    ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
    supply = b.getLong(1);
    feesCollected = b.getLong(9);
    runsRecorded = b.getLong(17);
    transactionsFailed = b.getLong(25);
    lastCommitSequence = b.getLong(33);
    return this;
  }

  /** Encodes into {@code out} from index 0; returns {@link #ENCODED_LENGTH}. */
  public int encodeTo(byte[] out) {
    out[0] = 1;
    long[] fields = fieldScratch;
    fields[0] = supply;
    fields[1] = feesCollected;
    fields[2] = runsRecorded;
    fields[3] = transactionsFailed;
    fields[4] = lastCommitSequence;
    for (int f = 0; f < fields.length; f++) {
      for (int i = 0; i < 8; i++) {
        out[1 + 8 * f + i] = (byte) (fields[f] >>> (8 * i));
      }
    }
    return ENCODED_LENGTH;
  }

  public byte[] encode() {
    byte[] out = new byte[ENCODED_LENGTH];
    ByteBuffer.wrap(out)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put(0, (byte) 1)
        .putLong(1, supply)
        .putLong(9, feesCollected)
        .putLong(17, runsRecorded)
        .putLong(25, transactionsFailed)
        .putLong(33, lastCommitSequence);
    return out;
  }

  public static LedgerTotals decode(byte[] encoded) {
    return new LedgerTotals().load(encoded);
  }
}
