package dev.agentledger.node.storage;

/** How durable a write must be before {@link Store#write} returns. */
public enum Durability {
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
