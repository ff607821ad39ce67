package dev.agentledger.node.execution;

import dev.agentledger.node.execution.core.SignatureCheck;
import dev.agentledger.node.execution.core.TransactionRecords;
import dev.agentledger.node.ingress.BatchSignatureVerifier;
import dev.agentledger.node.ingress.CpuBatchSignatureVerifier;
import dev.agentledger.node.ingress.RunSignatureBatch;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.node.tx.RunKind;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Execution's signature check over a batch verifier: a commit's {@link RunKind#RUN} records are
 * verified in chunks of {@link CpuBatchSignatureVerifier#DEFAULT_CHUNK} with one multi-scalar check
 * each (about a third of the CPU of verifying them one by one); account operations and records of
 * the wrong length are left {@link SignatureCheck#UNCHECKED} for the executor, which rejects or
 * verifies them alone. Batch verdicts equal single verdicts item by item (the sig-verify agreement
 * tests), so this changes cost, never results. One instance per execution thread; nothing is
 * allocated per record.
 */
public final class BatchSignatureCheck implements SignatureCheck {
  private final BatchSignatureVerifier verifier;
  private final RunSignatureBatch batch;
  private final int[] recordOfItem;
  private final AgentRunFlyweight run = new AgentRunFlyweight();
  private final UnsafeBuffer view = new UnsafeBuffer(new byte[1]);
  private long checked;

  /** Over the CPU batch verifier (system CSPRNG for the random linear combination). */
  public BatchSignatureCheck() {
    this(new CpuBatchSignatureVerifier(), CpuBatchSignatureVerifier.DEFAULT_CHUNK);
  }

  public BatchSignatureCheck(BatchSignatureVerifier verifier, int chunk) {
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be positive: " + chunk);
    }
    this.verifier = verifier;
    this.batch = new RunSignatureBatch(chunk);
    this.recordOfItem = new int[chunk];
  }

  @Override
  public void check(TransactionRecords records, byte[] verdicts) {
    batch.clear();
    int n = records.size();
    byte[] bytes = records.bytes();
    for (int i = 0; i < n; i++) {
      int offset = records.offset(i);
      int length = records.length(i);
      if (length != AgentRunDescriptor.ENCODED_LENGTH
          || bytes[offset + AgentRunDescriptor.KIND_OFFSET] != RunKind.RUN.code()) {
        verdicts[i] = UNCHECKED;
        continue;
      }
      view.wrap(bytes, offset, length);
      run.wrap(view, 0);
      recordOfItem[batch.add(run)] = i;
      if (batch.count() == batch.capacity()) {
        flush(verdicts);
      }
    }
    flush(verdicts);
  }

  private void flush(byte[] verdicts) {
    int count = batch.count();
    if (count == 0) {
      return;
    }
    verifier.verify(batch);
    for (int k = 0; k < count; k++) {
      verdicts[recordOfItem[k]] = batch.valid(k) ? VALID : INVALID;
    }
    checked += count;
    batch.clear();
  }

  /** Signatures checked in batches so far. */
  public long checked() {
    return checked;
  }
}
