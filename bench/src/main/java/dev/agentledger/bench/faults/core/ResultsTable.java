package dev.agentledger.bench.faults.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The results table of a fault-injection run, as aligned text. */
public final class ResultsTable {
  private static final String[] HEADER = {
    "scenario",
    "fault",
    "commits before",
    "during",
    "after",
    "accepted",
    "lost",
    "fork",
    "proofs",
    "verdict"
  };

  private ResultsTable() {}

  /**
   * One line per scenario under a header, then each skip reason, failure and note on its own line.
   */
  public static String render(List<ScenarioResult> results) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (ScenarioResult r : results) {
      boolean ran = r.skipped() == null;
      rows.add(
          new String[] {
            r.scenario(),
            r.fault(),
            ran ? Long.toString(r.commitsBefore()) : "-",
            ran ? Long.toString(r.commitsDuring()) : "-",
            ran ? Long.toString(r.commitsAfter()) : "-",
            ran ? Long.toString(r.accepted()) : "-",
            ran ? Long.toString(r.lost()) : "-",
            ran ? (r.forkFree() ? "no" : "FORK") : "-",
            ran ? r.proofsVerified() + "/" + r.proofsFetched() : "-",
            r.verdict()
          });
    }
    int[] width = new int[HEADER.length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.length; c++) {
        boolean number = c >= 2 && c <= 6;
        String cell =
            number
                ? String.format(Locale.ROOT, "%" + width[c] + "s", row[c])
                : String.format(Locale.ROOT, "%-" + width[c] + "s", row[c]);
        line.append(c == 0 ? "" : "  ").append(cell);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    for (ScenarioResult r : results) {
      if (r.skipped() != null) {
        out.append("  ")
            .append(r.scenario())
            .append(": skipped: ")
            .append(r.skipped())
            .append('\n');
      }
      for (String f : r.failures()) {
        out.append("  ").append(r.scenario()).append(": FAILED: ").append(f).append('\n');
      }
      for (String n : r.notes()) {
        out.append("  ").append(r.scenario()).append(": ").append(n).append('\n');
      }
    }
    long failed = results.stream().filter(r -> r.verdict().equals("FAIL")).count();
    long skipped = results.stream().filter(r -> r.skipped() != null).count();
    out.append(
        String.format(
            Locale.ROOT,
            "%d scenarios: %d passed, %d failed, %d skipped%n",
            results.size(),
            results.size() - failed - skipped,
            failed,
            skipped));
    return out.toString();
  }
}
