package dev.agentledger.node.storage;

/** How durable a write must be before {@link Store#write} returns. */
public enum Durability {
  /**
   * Not in the write-ahead log: in the store's memory until it flushes it, lost with the process
   * before that. Only for data no one reads across a restart (the state's paged-out pages); an
   * atomic batch of such writes must hold nothing else.
   */
  UNLOGGED,
  /**
   * In the operating system's page cache (and the write-ahead log); survives a process crash but
   * not a power loss.
   */
  BUFFERED,
  /**
   * Synced to stable storage (fsync of the write-ahead log) before returning: use wherever the
   * protocol acknowledges the write to someone else.
   */
  SYNCED
}
