package dev.agentledger.node.worker;

import dev.agentledger.node.execution.core.AccountRecord;
import dev.agentledger.node.execution.core.StateKeys;
import dev.agentledger.node.mempool.core.NonceSource;
import java.util.function.Function;

/**
 * The mempool's {@link NonceSource} over the executed state: the signer's account record as
 * execution holds it now (its in-memory newest values; the store's {@code state_values} lag behind
 * until the state's next checkpoint). Read once per agent the mempool starts remembering, off the
 * per-transaction path; the state's reads are safe beside execution's writes.
 */
final class StateNonceSource implements NonceSource {
  private final Function<byte[], byte[]> state;
  private final byte[] agent = new byte[32];

  /** {@code state}: a state key to its newest value, or null when absent. */
  StateNonceSource(Function<byte[], byte[]> state) {
    this.state = state;
  }

  @Override
  public long committedNextNonce(org.agrona.DirectBuffer buffer, int keyOffset) {
    buffer.getBytes(keyOffset, agent, 0, 32);
    byte[] value = state.apply(StateKeys.account(agent));
    return value == null ? 0 : AccountRecord.decode(value).nextNonce;
  }
}
