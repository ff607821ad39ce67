package dev.agentledger.node.consensus.core;

/** Where the primary core's outbound messages go: the transport (Netty or the simulator). */
public interface PrimaryOutbox {
  /** Sends {@code message} to validator {@code to}. */
  void send(int to, ConsensusMessage message);

  /** Sends {@code message} to every other validator of the committee. */
  void broadcast(ConsensusMessage message);
}
