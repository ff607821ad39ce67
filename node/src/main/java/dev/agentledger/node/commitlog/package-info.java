/**
 * The commit log: how consensus hands its ordered output to execution. Each consensus commit (an
 * anchor and its causal history, ordered by Bullshark) is resolved by the committer to the worker
 * batches and transaction ids it orders, and stored under its index as one entry whose layout is
 * {@link dev.agentledger.node.commitlog.CommitLogDescriptor} (versioned, little-endian, hash
 * chained). The committer writes entries, execution and any replay read them, and both go through
 * {@link dev.agentledger.node.commitlog.CommitLogFlyweight}; {@link
 * dev.agentledger.node.commitlog.CommitLog} holds the column and refuses a log of another version.
 * Depends on storage and hashing only.
 */
package dev.agentledger.node.commitlog;
