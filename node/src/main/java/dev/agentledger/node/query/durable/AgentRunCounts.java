package dev.agentledger.node.query.durable;

import java.util.Arrays;

/**
 * The writer's table of the agents with runs in one commit and their run counts, reused from commit
 * to commit: agent keys in one array, counts in another, an open-addressing index over them (linear
 * probing). Finding an agent makes no object; the table grows only when a commit has more agents
 * than any before it.
 */
final class AgentRunCounts {
  private static final long UNKNOWN = -1;

  private byte[] agents = new byte[32 * 16];
  private long[] counts = new long[16];
  private int size;

  /** Slot + 1 of the agent hashed there, 0 when empty; at most half full. */
  private int[] index = new int[32];

  /** Forgets every agent. */
  void clear() {
    if (size > 0) {
      Arrays.fill(index, 0);
      size = 0;
    }
  }

  /** Agents held. */
  int size() {
    return size;
  }

  /**
   * The slot of the agent whose key is {@code key[0..32)}, added (count unknown) when it is not
   * held. Slots number the agents 0, 1, ... in the order they were added.
   */
  int slotOf(byte[] key) {
    int mask = index.length - 1;
    int h = hash(key) & mask;
    while (true) {
      int entry = index[h];
      if (entry == 0) {
        return add(key, h);
      }
      if (Arrays.equals(agents, (entry - 1) * 32, entry * 32, key, 0, 32)) {
        return entry - 1;
      }
      h = (h + 1) & mask;
    }
  }

  private int add(byte[] key, int at) {
    if (size == counts.length) {
      agents = Arrays.copyOf(agents, agents.length * 2);
      counts = Arrays.copyOf(counts, counts.length * 2);
    }
    int slot = size++;
    System.arraycopy(key, 0, agents, slot * 32, 32);
    counts[slot] = UNKNOWN;
    index[at] = slot + 1;
    if (2 * size > index.length) {
      rehash();
    }
    return slot;
  }

  private void rehash() {
    index = new int[index.length * 2];
    int mask = index.length - 1;
    for (int slot = 0; slot < size; slot++) {
      int h = hashAt(agents, slot * 32) & mask;
      while (index[h] != 0) {
        h = (h + 1) & mask;
      }
      index[h] = slot + 1;
    }
  }

  /** Whether {@code slot}'s count is not known yet (the agent was just added). */
  boolean unknown(int slot) {
    return counts[slot] == UNKNOWN;
  }

  /** Sets {@code slot}'s count (the runs stored before this commit). */
  void start(int slot, long count) {
    counts[slot] = count;
  }

  /** The next run number of {@code slot}'s agent; counts that run. */
  long take(int slot) {
    return counts[slot]++;
  }

  /** {@code slot}'s count. */
  long count(int slot) {
    return counts[slot];
  }

  /** Copies {@code slot}'s agent key into {@code dst} at {@code offset}. */
  void copyAgent(int slot, byte[] dst, int offset) {
    System.arraycopy(agents, slot * 32, dst, offset, 32);
  }

  private static int hash(byte[] key) {
    return hashAt(key, 0);
  }

  private static int hashAt(byte[] b, int at) {
    // Agent keys are public keys (uniform bytes): the first four bytes spread well enough.
    int h = (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | b[at + 3] << 24;
    return h ^ (h >>> 16);
  }
}
