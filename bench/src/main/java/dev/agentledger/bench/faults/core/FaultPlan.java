package dev.agentledger.bench.faults.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which validators each fault hits, for a committee of {@code n} (at least 4, so that one fault
 * leaves a quorum). The relay sits on the link from v0 to its victim, so its victim is never v0.
 */
public final class FaultPlan {
  private FaultPlan() {}

  /** The fixed victims of {@code kind} (the named-scenario run). */
  public static FaultStep fixed(FaultKind kind, int n) {
    check(n);
    return switch (kind) {
      case KILL_ONE -> new FaultStep(kind, List.of(1));
      case KILL_TWO -> new FaultStep(kind, List.of(1, 2));
      case PARTITION, PARTITION_NETNS -> new FaultStep(kind, List.of(2));
      case RELAY, DISK_FULL, HEAP -> new FaultStep(kind, List.of(n - 1));
      case FLOOD -> new FaultStep(kind, List.of(0));
      case OVERLOAD -> new FaultStep(kind, List.of());
    };
  }

  /**
   * A seeded random schedule (Jepsen style): {@code steps} faults drawn from {@code kinds}, each
   * with random victims where the fault allows a choice. The same seed gives the same schedule.
   */
  public static List<FaultStep> random(long seed, int steps, List<FaultKind> kinds, int n) {
    check(n);
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("no fault kinds to draw from");
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<FaultStep> plan = new ArrayList<>();
    for (int s = 0; s < steps; s++) {
      FaultKind kind = kinds.get(random.nextInt(kinds.size()));
      plan.add(
          switch (kind) {
            case KILL_ONE, FLOOD, PARTITION, PARTITION_NETNS ->
                new FaultStep(kind, List.of(random.nextInt(n)));
            case RELAY -> new FaultStep(kind, List.of(1 + random.nextInt(n - 1)));
            case KILL_TWO -> {
              int a = random.nextInt(n);
              int b = (a + 1 + random.nextInt(n - 1)) % n;
              yield new FaultStep(kind, List.of(Math.min(a, b), Math.max(a, b)));
            }
            default -> fixed(kind, n);
          });
    }
    return plan;
  }

  private static void check(int n) {
    if (n < 4) {
      throw new IllegalArgumentException(
          "the fault suite needs at least 4 validators (one fault must leave a quorum): " + n);
    }
  }
}
