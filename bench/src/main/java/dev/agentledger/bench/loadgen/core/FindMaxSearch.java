package dev.agentledger.bench.loadgen.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Searches the highest offered rate that a target sustains with p99 commit latency under a target
 * and nothing lost, unanswered or shed: double the rate from a start until a probe fails, then
 * bisect between the last pass and the first failure until they are within a relative precision or
 * the probe budget is spent. Pure: the caller runs each probe and reports it with {@link #record}.
 *
 * <p>A probe where the generator itself fell behind its schedule by more than half the latency
 * target fails ("generator fell behind"): the offered load was not what the schedule said. When the
 * failure that bounds the result is of this kind, {@link #generatorBound()} is true and the report
 * says that the limit found may be the generator's (or the CPU it shares with the target).
 */
public final class FindMaxSearch {
  /** Verdict of one probe. */
  public record Probe(double rateTps, boolean pass, String reason, ProbeResult result) {}

  private final long p99TargetNs;
  private final double precision;
  private final int maxProbes;
  private final double minRateTps;
  private final List<Probe> probes = new ArrayList<>();
  private double next;
  private double lastPass;
  private double firstFail = Double.POSITIVE_INFINITY;
  private boolean generatorBound;

  /**
   * @param startTps first rate probed
   * @param p99TargetNs the p99 commit latency a passing probe must stay under
   * @param precision stop when {@code (firstFail - lastPass) <= precision * lastPass}
   * @param maxProbes stop after this many probes
   * @param minRateTps give up (maximum 0) when a failing search would go below this
   */
  public FindMaxSearch(
      double startTps, long p99TargetNs, double precision, int maxProbes, double minRateTps) {
    if (!(startTps > 0)
        || p99TargetNs <= 0
        || !(precision > 0)
        || maxProbes < 1
        || !(minRateTps > 0)) {
      throw new IllegalArgumentException(
          "find-max needs positive start rate, target, precision, probes, minimum");
    }
    this.next = startTps;
    this.p99TargetNs = p99TargetNs;
    this.precision = precision;
    this.maxProbes = maxProbes;
    this.minRateTps = minRateTps;
  }

  /** Pass or fail, with the first failed criterion as the reason. */
  public String judge(ProbeResult r) {
    if (r.generatorLagP99Ns() > p99TargetNs / 2) {
      return "generator fell behind: send lag p99 " + ms(r.generatorLagP99Ns()) + " ms";
    }
    if (r.lost() > 0) {
      return "lost " + r.lost();
    }
    if (r.unanswered() > 0) {
      return "unanswered " + r.unanswered();
    }
    if (r.overloadRejections() > 0) {
      return "shed " + r.overloadRejections() + " (overload)";
    }
    if (r.committed() == 0) {
      return "nothing committed";
    }
    if (r.p99CommitLatencyNs() > p99TargetNs) {
      return "p99 " + ms(r.p99CommitLatencyNs()) + " ms > " + ms(p99TargetNs) + " ms";
    }
    return "ok";
  }

  /** The next rate to probe, or {@code NaN} when the search is over. */
  public double nextRate() {
    return done() ? Double.NaN : next;
  }

  public boolean done() {
    if (probes.size() >= maxProbes) {
      return true;
    }
    if (lastPass == 0) {
      return firstFail != Double.POSITIVE_INFINITY && next < minRateTps;
    }
    return firstFail != Double.POSITIVE_INFINITY && firstFail - lastPass <= precision * lastPass;
  }

  /** Records the probe at {@code rateTps}; returns its verdict. */
  public Probe record(double rateTps, ProbeResult result) {
    String reason = judge(result);
    boolean pass = reason.equals("ok");
    Probe probe = new Probe(rateTps, pass, reason, result);
    probes.add(probe);
    if (pass) {
      lastPass = Math.max(lastPass, rateTps);
    } else if (rateTps < firstFail) {
      firstFail = rateTps;
      generatorBound = reason.startsWith("generator");
    }
    if (firstFail == Double.POSITIVE_INFINITY) {
      next = lastPass * 2;
    } else if (lastPass == 0) {
      next = firstFail / 2;
    } else {
      next = (lastPass + firstFail) / 2;
    }
    return probe;
  }

  /** Highest passing rate so far (0 when none passed). */
  public double maxRateTps() {
    return lastPass;
  }

  /** Lowest failing rate so far (infinite when none failed). */
  public double firstFailTps() {
    return firstFail;
  }

  /** Whether the failure that bounds the result was the generator falling behind its schedule. */
  public boolean generatorBound() {
    return generatorBound;
  }

  public List<Probe> probes() {
    return Collections.unmodifiableList(probes);
  }

  public long p99TargetNs() {
    return p99TargetNs;
  }

  private static String ms(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e6);
  }
}
