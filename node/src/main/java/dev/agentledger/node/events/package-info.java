/**
 * The committed event stream (run recorded, payment failed, permission changed, ...), in commit
 * order and resumable from a commit sequence: the log abstraction of state machine replication,
 * where every replica emits the same events in the same order, so a consumer may switch replicas
 * and resume where it left off. Memory holds a bounded window of the latest commits; older ones are
 * read back from the stored commits, whose records and receipts determine their events ({@link
 * dev.agentledger.node.events.ReceiptEvents}), so events need no storage of their own.
 */
package dev.agentledger.node.events;
