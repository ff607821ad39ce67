package dev.agentledger.node.tx;

import dev.agentledger.sig.Ed25519KeyPair;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds signed {@code AgentRun} records for tests, tools and the load generator. Not for the hot
 * path: each {@link #sign} returns a fresh array. Unset fields are zero, except version (1), kind
 * (RUN) and outcome (SUCCESS); the payer defaults to the agent.
 */
public final class AgentRunBuilder {
  private final byte[] record = new byte[AgentRunDescriptor.ENCODED_LENGTH];
  private final AgentRunFlyweight run = new AgentRunFlyweight();
  private boolean payerSet;

  public AgentRunBuilder() {
    run.wrap(new UnsafeBuffer(record), 0);
    run.version(AgentRunDescriptor.VERSION_1)
        .kind(RunKind.RUN.code())
        .outcome(RunOutcome.SUCCESS.code());
  }

  public AgentRunBuilder version(int value) {
    run.version((byte) value);
    return this;
  }

  public AgentRunBuilder kind(int value) {
    run.kind((byte) value);
    return this;
  }

  public AgentRunBuilder chainId(int value) {
    run.chainId(value);
    return this;
  }

  public AgentRunBuilder shardHint(int value) {
    run.shardHint(value);
    return this;
  }

  public AgentRunBuilder payer(byte[] key) {
    run.payer(checked("payer", key, AgentRunDescriptor.KEY_LENGTH), 0);
    payerSet = true;
    return this;
  }

  public AgentRunBuilder nonce(long value) {
    run.nonce(value);
    return this;
  }

  public AgentRunBuilder taskId(byte[] id) {
    run.taskId(checked("task_id", id, AgentRunDescriptor.TASK_ID_LENGTH), 0);
    return this;
  }

  public AgentRunBuilder parentRun(byte[] hash) {
    run.parentRun(checked("parent_run", hash, AgentRunDescriptor.HASH_LENGTH), 0);
    return this;
  }

  public AgentRunBuilder startedAt(long nanos) {
    run.startedAt(nanos);
    return this;
  }

  public AgentRunBuilder endedAt(long nanos) {
    run.endedAt(nanos);
    return this;
  }

  public AgentRunBuilder inputTokens(long value) {
    run.inputTokens(value);
    return this;
  }

  public AgentRunBuilder outputTokens(long value) {
    run.outputTokens(value);
    return this;
  }

  public AgentRunBuilder computeMs(long value) {
    run.computeMs(value);
    return this;
  }

  public AgentRunBuilder gpuMs(long value) {
    run.gpuMs(value);
    return this;
  }

  public AgentRunBuilder peakMemoryBytes(long value) {
    run.peakMemoryBytes(value);
    return this;
  }

  public AgentRunBuilder model(byte[] hash) {
    run.model(checked("model", hash, AgentRunDescriptor.HASH_LENGTH), 0);
    return this;
  }

  public AgentRunBuilder outcome(RunOutcome outcome) {
    run.outcome(outcome.code());
    return this;
  }

  public AgentRunBuilder outcomeCode(int code) {
    run.outcome((byte) code);
    return this;
  }

  public AgentRunBuilder priority(int value) {
    run.priority(value);
    return this;
  }

  public AgentRunBuilder maxFee(long value) {
    run.maxFee(value);
    return this;
  }

  public AgentRunBuilder metadataCid(byte[] cid) {
    run.metadataCid(checked("metadata_cid", cid, AgentRunDescriptor.METADATA_CID_LENGTH), 0);
    return this;
  }

  /** Sets the agent to the key's public key (and the payer, if unset), signs, returns a copy. */
  public byte[] sign(Ed25519KeyPair agentKey) {
    byte[] publicKey = agentKey.publicKey();
    run.agent(publicKey, 0);
    if (!payerSet) {
      run.payer(publicKey, 0);
    }
    run.sign(agentKey);
    return record.clone();
  }

  /** The record as it stands, signature included, without signing (for malformed-input tests). */
  public byte[] unsigned(byte[] agentKey) {
    run.agent(checked("agent", agentKey, AgentRunDescriptor.KEY_LENGTH), 0);
    if (!payerSet) {
      run.payer(agentKey, 0);
    }
    return record.clone();
  }

  private static byte[] checked(String field, byte[] value, int length) {
    if (value.length != length) {
      throw new IllegalArgumentException(
          field
              + " must be "
              + length
              + " bytes, got "
              + value.length
              + ": "
              + Arrays.toString(value));
    }
    return value;
  }
}
