package dev.agentledger.node.consensus.core;

/**
 * The ordered output of consensus: each committed sub-DAG, in commit order, exactly once per run of
 * the primary (after a restart the stream continues after the last persisted commit). Execution
 * implements it.
 */
@FunctionalInterface
public interface CommittedSubDagStream {
  void publish(CommittedSubDag subDag);
}
