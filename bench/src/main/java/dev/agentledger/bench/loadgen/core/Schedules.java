package dev.agentledger.bench.loadgen.core;

import java.util.Locale;

/** Formatting shared by the schedules' descriptions. */
final class Schedules {
  private Schedules() {}

  static String number(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.3f", value);
  }

  static String seconds(long nanos) {
    return number(nanos / 1e9);
  }
}
