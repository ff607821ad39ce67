package dev.agentledger.bench.faults.core;

import java.util.List;

/**
 * What one scenario measured and concluded.
 *
 * @param scenario the label, e.g. {@code kill-one v1}
 * @param fault what was done, in words
 * @param commitsBefore transactions the cluster committed before the fault
 * @param commitsDuring transactions it committed while the fault lasted
 * @param commitsAfter transactions it committed after the heal or restart (drain included)
 * @param accepted transactions the validators answered ACCEPTED
 * @param lost accepted transactions that never committed (checked again through the query API)
 * @param forkFree the validators' commit hashes agree at every common height
 * @param proofsFetched proofs fetched
 * @param proofsVerified proofs that verified offline
 * @param failures each failed check, in words; empty when the scenario passed
 * @param skipped why the scenario did not run (null when it ran)
 * @param notes measurements printed under the table that are not checks (a restarted validator's
 *     catch-up rate, how a partition was made)
 */
public record ScenarioResult(
    String scenario,
    String fault,
    long commitsBefore,
    long commitsDuring,
    long commitsAfter,
    long accepted,
    long lost,
    boolean forkFree,
    int proofsFetched,
    int proofsVerified,
    List<String> failures,
    String skipped,
    List<String> notes) {
  public ScenarioResult {
    failures = List.copyOf(failures);
    notes = List.copyOf(notes);
  }

  /** A result without notes. */
  public ScenarioResult(
      String scenario,
      String fault,
      long commitsBefore,
      long commitsDuring,
      long commitsAfter,
      long accepted,
      long lost,
      boolean forkFree,
      int proofsFetched,
      int proofsVerified,
      List<String> failures,
      String skipped) {
    this(
        scenario,
        fault,
        commitsBefore,
        commitsDuring,
        commitsAfter,
        accepted,
        lost,
        forkFree,
        proofsFetched,
        proofsVerified,
        failures,
        skipped,
        List.of());
  }

  /** A scenario that could not run here, and why. */
  public static ScenarioResult skipped(String scenario, String fault, String why) {
    return new ScenarioResult(scenario, fault, 0, 0, 0, 0, 0, true, 0, 0, List.of(), why);
  }

  public boolean passed() {
    return skipped == null && failures.isEmpty();
  }

  /** PASS, FAIL or SKIP. */
  public String verdict() {
    return skipped != null ? "SKIP" : failures.isEmpty() ? "PASS" : "FAIL";
  }

  /**
   * The failures of the checks every scenario makes: no fork, nothing accepted lost, proofs fetched
   * and all verified, and the honest load committing after the fault (and during it unless {@code
   * commitsMayStop}, for a fault that takes the quorum away).
   */
  public static List<String> commonFailures(
      long commitsDuring,
      long commitsAfter,
      long lost,
      boolean forkFree,
      int proofsFetched,
      int proofsVerified,
      boolean commitsMayStop) {
    List<String> failures = new java.util.ArrayList<>();
    if (!forkFree) {
      failures.add("fork: validators disagree on a commit hash at a common height");
    }
    if (lost > 0) {
      failures.add(lost + " accepted transactions never committed");
    }
    if (proofsFetched == 0) {
      failures.add("no proof fetched");
    } else if (proofsVerified != proofsFetched) {
      failures.add((proofsFetched - proofsVerified) + " proofs did not verify");
    }
    if (!commitsMayStop && commitsDuring == 0) {
      failures.add("the honest load committed nothing during the fault");
    }
    if (commitsAfter == 0) {
      failures.add("the honest load committed nothing after the fault");
    }
    return failures;
  }
}
