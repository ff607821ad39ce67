package dev.agentledger.node.sim;

import java.util.EnumSet;
import java.util.Locale;

/**
 * Faults the simulator injects. Network and crash faults stop at the heal time; Byzantine ones and
 * the overloaded validator never do.
 */
public enum Fault {
  /** Honest validators crash and restart from their store. */
  CRASH,
  /** The network splits into two groups, then heals. */
  PARTITION,
  /** A validator's links become slow for a while (asynchrony). */
  DELAY,
  /** Messages are dropped at random. */
  LOSS,
  /**
   * One honest validator is overloaded: until the heal its links carry 100-600 ms more latency on
   * every message, and for the whole run its workers seal batches five times as often, so its
   * certificates tend to arrive after the next round was built without them.
   */
  OVERLOAD,
  /** Byzantine: different vertices for the same round to different peers. */
  EQUIVOCATE,
  /** Byzantine: messages to some peers are never sent. */
  WITHHOLD,
  /** Byzantine: some signatures are corrupted. */
  BADSIG,
  /** Byzantine: votes for every vertex seen, equivocating ones included. */
  DOUBLEVOTE;

  /** Parses {@code crash,partition,...}; {@code all} for every fault, {@code none} for none. */
  public static EnumSet<Fault> parse(String list) {
    EnumSet<Fault> out = EnumSet.noneOf(Fault.class);
    for (String part : list.split(",")) {
      String name = part.strip().toUpperCase(Locale.ROOT);
      if (name.isEmpty() || name.equals("NONE")) {
        continue;
      }
      if (name.equals("ALL")) {
        out.addAll(EnumSet.allOf(Fault.class));
        continue;
      }
      out.add(Fault.valueOf(name));
    }
    return out;
  }

  public static final EnumSet<Fault> BYZANTINE =
      EnumSet.of(EQUIVOCATE, WITHHOLD, BADSIG, DOUBLEVOTE);
}
