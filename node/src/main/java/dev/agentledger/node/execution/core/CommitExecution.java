package dev.agentledger.node.execution.core;

import java.util.List;

/**
 * The result of executing one {@link CommittedInput}: the transaction ids and receipts in commit
 * order, their RFC 6962 roots, the state root after the commit, and the events.
 */
public record CommitExecution(
    CommittedInput input,
    List<byte[]> txIds,
    List<Receipt> receipts,
    byte[] txRoot,
    byte[] receiptsRoot,
    byte[] stateRoot,
    List<ExecutionEvent> events) {}
