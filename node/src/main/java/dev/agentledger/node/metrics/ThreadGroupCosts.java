package dev.agentledger.node.metrics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-thread costs of a JVM summed by thread group, the profiler-free per-stage account of {@code
 * GET /status}: a thread's group is its name with every run of digits folded to {@code N} ({@code
 * worker-3} and {@code worker-7} are {@code worker-N}), so the groups are the stages (verify,
 * worker, primary, execution, feed, the Netty I/O threads). Used for thread CPU time ({@code
 * threadsCpuMs}) and for bytes allocated on the heap ({@code threadsAllocatedBytes}, from {@code
 * com.sun.management.ThreadMXBean#getThreadAllocatedBytes}); a cost per transaction is the
 * difference of two readings divided by the transactions committed between them.
 */
public final class ThreadGroupCosts {
  private ThreadGroupCosts() {}

  /** The group of a thread name. */
  public static String group(String threadName) {
    return threadName.replaceAll("[0-9]+", "N");
  }

  /**
   * Sums {@code values[i]} into {@code groups[i]}; a negative value (the thread ended, or the
   * measurement is off) and a null group are skipped.
   */
  public static TreeMap<String, Long> sum(String[] groups, long[] values, int count) {
    TreeMap<String, Long> byGroup = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      if (groups[i] != null && values[i] >= 0) {
        byGroup.merge(groups[i], values[i], Long::sum);
      }
    }
    return byGroup;
  }

  /**
   * {@code {"process":total,"group":value,...}} with every value divided by {@code unit} (integer
   * division) and groups under {@code minimum} (before division) left out, to keep the status
   * short.
   */
  public static ObjectNode json(long total, Map<String, Long> byGroup, long unit, long minimum) {
    ObjectNode json =
        JsonNodeFactory.instance.objectNode().put("process", total < 0 ? -1 : total / unit);
    byGroup.forEach(
        (name, value) -> {
          if (value >= minimum) {
            json.put(name, value / unit);
          }
        });
    return json;
  }

  /**
   * Cost per transaction of each group between two readings: {@code (after - before) /
   * transactions}; a group missing from {@code before} counts from 0, one missing from {@code
   * after} is left out, and a negative difference (a thread of the group ended) counts as 0.
   */
  public static TreeMap<String, Double> perTransaction(
      Map<String, Long> before, Map<String, Long> after, long transactions) {
    TreeMap<String, Double> out = new TreeMap<>();
    if (transactions <= 0) {
      return out;
    }
    after.forEach(
        (name, value) ->
            out.put(
                name, Math.max(0, value - before.getOrDefault(name, 0L)) / (double) transactions));
    return out;
  }
}
