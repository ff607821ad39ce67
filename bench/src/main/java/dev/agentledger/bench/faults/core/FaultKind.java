package dev.agentledger.bench.faults.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The faults the suite injects, by their command-line names. */
public enum FaultKind {
  /** {@code kill -9} of one validator under load, then a restart. */
  KILL_ONE("kill-one"),
  /** {@code kill -9} of two validators (quorum lost), then a restart of both. */
  KILL_TWO("kill-two"),
  /** Every peer link of one validator cut at the link proxies, then healed. */
  PARTITION("partition"),
  /**
   * One validator, moved into a network namespace of its own, cut off at the IP level (its veth
   * pair down: peers, clients and queries alike), then healed. Needs root.
   */
  PARTITION_NETNS("partition-netns"),
  /** A relay on one peer link replays a recorded session and injects forged frames. */
  RELAY("relay"),
  /** Thousands of connections to one validator's client and HTTP ports from another address. */
  FLOOD("flood"),
  /** Offered load far above capacity for the fault window. */
  OVERLOAD("overload"),
  /** One validator's data directory (a small tmpfs) filled up, then freed and restarted. */
  DISK_FULL("disk-full"),
  /**
   * One validator restarted with a small heap under overload: it must refuse with OVERLOADED or
   * stop with the agent-failure exit code and one line, and lose nothing on its restart. Not part
   * of {@code all}: it is run by name.
   */
  HEAP("heap", false);

  private final String cliName;
  private final boolean inAll;

  FaultKind(String cliName) {
    this(cliName, true);
  }

  FaultKind(String cliName, boolean inAll) {
    this.cliName = cliName;
    this.inAll = inAll;
  }

  public String cliName() {
    return cliName;
  }

  /** Whether {@code all} includes this kind. */
  public boolean inAll() {
    return inAll;
  }

  /** The kind named {@code name}, or null. */
  public static FaultKind byName(String name) {
    for (FaultKind k : values()) {
      if (k.cliName.equals(name.strip().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    return null;
  }

  /**
   * Parses a comma-separated list ({@code all} for every kind {@link #inAll}, in declaration
   * order).
   *
   * @throws IllegalArgumentException naming the unknown entry and the known names
   */
  public static List<FaultKind> parseList(String list) {
    List<FaultKind> kinds = new ArrayList<>();
    for (String part : list.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      if (part.strip().equals("all")) {
        for (FaultKind k : values()) {
          if (k.inAll && !kinds.contains(k)) {
            kinds.add(k);
          }
        }
        continue;
      }
      FaultKind k = byName(part);
      if (k == null) {
        throw new IllegalArgumentException(
            "unknown scenario '" + part.strip() + "' (known: " + names() + ", all)");
      }
      if (!kinds.contains(k)) {
        kinds.add(k);
      }
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("no scenario named (known: " + names() + ", all)");
    }
    return kinds;
  }

  /** Every name, comma-separated. */
  public static String names() {
    StringBuilder s = new StringBuilder();
    for (FaultKind k : values()) {
      s.append(s.isEmpty() ? "" : ", ").append(k.cliName);
    }
    return s.toString();
  }
}
