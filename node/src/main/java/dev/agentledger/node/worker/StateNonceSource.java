package dev.agentledger.node.worker;

import dev.agentledger.node.execution.core.AccountRecord;
import dev.agentledger.node.execution.core.StateKeys;
import dev.agentledger.node.mempool.core.NonceSource;
import dev.agentledger.node.storage.StateLayout;
import dev.agentledger.node.storage.Store;

/**
 * The mempool's {@link NonceSource} over the executed state in the node's store: the signer's
 * account record in {@code state_values} ({@link StateLayout}), as of the last commit execution
 * wrote. Read once per agent the mempool starts remembering (a store read, off the per-transaction
 * path); RocksDB reads are safe beside execution's writes.
 */
final class StateNonceSource implements NonceSource {
  private final Store store;
  private final byte[] agent = new byte[32];

  StateNonceSource(Store store) {
    this.store = store;
  }

  @Override
  public long committedNextNonce(org.agrona.DirectBuffer buffer, int keyOffset) {
    buffer.getBytes(keyOffset, agent, 0, 32);
    byte[] stored = store.get(StateLayout.VALUES, StateKeys.account(agent));
    if (stored == null) {
      return 0;
    }
    byte[] value = StateLayout.decodeValue(stored);
    return value == null ? 0 : AccountRecord.decode(value).nextNonce;
  }
}
