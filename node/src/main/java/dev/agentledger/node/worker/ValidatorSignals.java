package dev.agentledger.node.worker;

import dev.agentledger.node.execution.ExecutionService;
import dev.agentledger.node.storage.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@link ValidatorHealth.Signals} of one {@link ValidatorNode}, read from its stages. */
final class ValidatorSignals implements ValidatorHealth.Signals {
  private final ValidatorNode node;

  ValidatorSignals(ValidatorNode node) {
    this.node = node;
  }

  @Override
  public boolean agentsRunning() {
    return node.agentRunning();
  }

  @Override
  public String storageFailure() {
    StoreException failure = node.store().writeFailure();
    if (failure != null) {
      return "a write failed: " + failure.getMessage();
    }
    Path dir = node.dataDir();
    if (dir != null && !Files.isWritable(dir)) {
      return "data directory " + dir + " is not writable";
    }
    return null;
  }

  @Override
  public String executionFailure() {
    ExecutionService execution = node.execution();
    Throwable failure = execution == null ? null : execution.failure();
    return failure == null ? null : "execution stopped: " + failure.getMessage();
  }

  @Override
  public boolean linkUp(int index) {
    return node.transport().isConnected(index);
  }

  @Override
  public boolean caughtUp() {
    ExecutionService execution = node.execution();
    return execution == null || execution.caughtUp();
  }

  @Override
  public String catchUpDetail() {
    ExecutionService execution = node.execution();
    if (execution == null) {
      return "this node does not execute";
    }
    return "executed "
        + execution.executedSequence()
        + ", committed "
        + (node.primary() == null ? -1 : node.primary().lastCommittedIndex() + 1)
        + ", highest peer "
        + execution.highestPeerSequence();
  }

  @Override
  public long overloadRefusals() {
    return node.overloadRefusals();
  }
}
