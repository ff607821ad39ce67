/**
 * The committed event stream (run recorded, payment failed, permission changed, ...), in commit
 * order and resumable from a commit sequence: the log abstraction of state machine replication,
 * where every replica emits the same events in the same order, so a consumer may switch replicas
 * and resume where it left off.
 */
package dev.agentledger.node.events;
