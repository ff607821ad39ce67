package dev.agentledger.node.worker.core;

import org.agrona.DirectBuffer;

/**
 * What the worker core sends; the agent maps it onto the transport. Non-blocking; false = not sent.
 */
public interface WorkerOutbox {
  boolean send(int peer, DirectBuffer frame, int offset, int length);
}
