package dev.agentledger.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link RunReport} as one self-contained HTML page: tables plus inline SVG plots
 * (committed TPS over time, commit latency CDF on a percentile axis, per-stage CPU per
 * transaction). No script, no external resource: it opens the same anywhere, offline.
 */
public final class HtmlReport {
  private HtmlReport() {}

  private static final String CSS =
      "body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222}"
          + "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid #ddd}"
          + "table{border-collapse:collapse;margin:6px 0}td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}"
          + "td.n{text-align:right;font-variant-numeric:tabular-nums}.warn{color:#b00020;font-weight:600}.ok{color:#0a7d2c;font-weight:600}"
          + ".box{background:#f6f8fa;border:1px solid #e1e4e8;padding:8px 12px;border-radius:6px}.grid{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}"
          + "svg text{font:12px system-ui,sans-serif}.small{color:#666;font-size:12px}";

  public static String render(RunReport r) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc(r.title()))
        .append("</title><style>")
        .append(CSS)
        .append("</style></head><body>");
    h.append("<h1>").append(esc(r.title())).append("</h1>");
    h.append("<div class=\"small\">")
        .append(esc(r.kind()))
        .append(" report, ")
        .append(esc(r.createdAt()))
        .append(", git ")
        .append(esc(r.git().commit()))
        .append(r.git().dirty() ? " (dirty)" : "")
        .append("</div>");
    RunReport.Counts c = r.counts();
    h.append("<p class=\"box\"><b>Target:</b> ")
        .append(esc(r.target().description()))
        .append("<br><b>Committed means:</b> ")
        .append(esc(r.target().committedMeans()))
        .append("</p>");

    h.append("<h2>Result</h2><div class=\"grid\"><table>");
    row(h, "committed TPS", fmt(r.throughput().committedTps()));
    row(h, "offered TPS", fmt(r.throughput().offeredTps()));
    row(h, "schedule", esc(r.throughput().schedule()));
    row(h, "submitted", Long.toString(c.submitted()));
    row(h, "accepted", Long.toString(c.accepted()));
    row(h, "rejected", Long.toString(c.rejected()));
    for (Map.Entry<String, Long> e : c.rejectedByReason().entrySet()) {
      row(h, "&nbsp;&nbsp;" + esc(e.getKey()), Long.toString(e.getValue()));
    }
    row(h, "committed", Long.toString(c.committed()));
    row(
        h,
        "<b>lost</b> (accepted, never committed)",
        "<span class=\"" + (c.lost() == 0 ? "ok" : "warn") + "\">" + c.lost() + "</span>");
    row(
        h,
        "unanswered",
        "<span class=\""
            + (c.unanswered() == 0 ? "ok" : "warn")
            + "\">"
            + c.unanswered()
            + "</span>");
    row(h, "duplicate commits", Long.toString(c.duplicateCommits()));
    row(h, "how they add up", accounting(c));
    row(h, "drained", Boolean.toString(c.drained()));
    h.append(
        "</table><table><tr><th>latency (ms, from intended send)</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>");
    pctRow(h, "submit &rarr; commit", r.latency().commitFromIntended());
    pctRow(h, "submit &rarr; accept", r.latency().acceptFromIntended());
    pctRow(h, "generator send lag", r.generator().sendLag());
    h.append("</table></div>");

    h.append(roundsTable(r.rounds()));
    h.append("<h2>Committed TPS over time</h2>").append(tpsPlot(r.timeline()));
    h.append("<h2>Commit latency distribution</h2>").append(cdfPlot(r.latency().commitCdf()));
    h.append("<h2>CPU per committed transaction, by stage (measured)</h2>")
        .append(stagePlot(r.cpu()));
    h.append("<p class=\"small\">")
        .append(esc(r.cpu().measuredWith()))
        .append(
            ". Process CPU per committed tx (all threads, incl. generator, idle loops, GC, JIT): ")
        .append(fmt(r.cpu().processCpuNsPerCommittedTx()))
        .append(" ns.</p>");
    h.append(allocationTable(r.cpu()));

    if (r.findMax() != null) {
      RunReport.FindMax f = r.findMax();
      h.append("<h2>Find-max</h2><p>Highest rate holding p99 &le; ")
          .append(fmt(f.p99TargetMs()))
          .append(" ms with zero loss: <b>")
          .append(fmt(f.maxRateTps()))
          .append(" tps</b>")
          .append(
              f.generatorBound()
                  ? " <span class=\"warn\">(bounded by the generator falling behind: the limit may be the generator's or the shared CPU's)</span>"
                  : "")
          .append(" (probes of ")
          .append(fmt(f.probeSeconds()))
          .append(
              " s)</p><table><tr><th>rate</th><th>verdict</th><th>committed TPS</th><th>p99 ms</th><th>lost</th><th>unanswered</th><th>shed</th></tr>");
      for (RunReport.Probe p : f.probes()) {
        h.append("<tr><td class=\"n\">")
            .append(fmt(p.rateTps()))
            .append("</td><td class=\"")
            .append(p.pass() ? "ok" : "warn")
            .append("\">")
            .append(esc(p.reason()))
            .append("</td><td class=\"n\">")
            .append(fmt(p.committedTps()))
            .append("</td><td class=\"n\">")
            .append(fmt(p.p99Ms()))
            .append("</td><td class=\"n\">")
            .append(p.lost())
            .append("</td><td class=\"n\">")
            .append(p.unanswered())
            .append("</td><td class=\"n\">")
            .append(p.shed())
            .append("</td></tr>");
      }
      h.append("</table>");
    }

    h.append("<h2>Generator</h2><table>");
    RunReport.Generator g = r.generator();
    row(
        h,
        "capacity (measured, discarding sink)",
        fmt(g.capacityTps()) + " sends/s, " + fmt(g.capacityCpuNsPerSend()) + " ns CPU/send");
    row(h, "sender CPU per submitted tx (this run)", fmt(g.cpuNsPerSend()) + " ns");
    row(
        h,
        "pre-signed pool",
        g.poolSize()
            + " records, built in "
            + fmt(g.poolBuildSeconds())
            + " s"
            + (g.poolReused() ? " (records repeated)" : ""));
    h.append("</table>");

    h.append("<h2>Hardware (observed)</h2><table>");
    HardwareManifest hw = r.hardware();
    row(h, "CPU", esc(hw.cpuModel()));
    row(h, "flags", esc(String.join(" ", hw.cpuFlags())));
    row(h, "cores", hw.logicalCores() + " logical, " + hw.physicalCores() + " physical");
    row(h, "memory", fmt(hw.memoryBytes() / 1073741824.0) + " GiB");
    row(h, "kernel / OS", esc(hw.kernel() + " / " + hw.os()));
    row(h, "JDK", esc(hw.jdk()));
    row(h, "GPU", esc(hw.gpu()));
    row(h, "sigverify backend", esc(r.target().sigverifyBackend()));
    h.append("</table>");

    h.append("<h2>Configuration</h2><table>");
    for (Map.Entry<String, Object> e : r.config().entrySet()) {
      row(h, esc(e.getKey()), esc(String.valueOf(e.getValue())));
    }
    h.append("</table><h2>Notes</h2><ul>");
    for (String note : r.notes()) {
      h.append("<li")
          .append(note.startsWith("WARNING") ? " class=\"warn\"" : "")
          .append(">")
          .append(esc(note))
          .append("</li>");
    }
    h.append("</ul></body></html>\n");
    return h.toString();
  }

  // ---- plots ---------------------------------------------------------------------------------

  private static final int W = 1000;
  private static final int H = 300;
  private static final int L = 70;
  private static final int R = 45;
  private static final int T = 20;
  private static final int B = 45;

  static String tpsPlot(List<RunReport.TimelinePoint> points) {
    StringBuilder s = svgOpen();
    if (points.isEmpty()) {
      return s.append(text(W / 2, H / 2, "no data", "middle")).append("</svg>").toString();
    }
    double maxX = Math.max(1, points.get(points.size() - 1).second() + 1);
    double maxY = 1;
    for (RunReport.TimelinePoint p : points) {
      maxY = Math.max(maxY, Math.max(p.offeredTps(), Math.max(p.committed(), p.submitted())));
    }
    maxY = nice(maxY * 1.1);
    axes(s, maxX, maxY, "seconds", "transactions / s", false);
    StringBuilder committed = new StringBuilder();
    StringBuilder offered = new StringBuilder();
    StringBuilder rejected = new StringBuilder();
    for (RunReport.TimelinePoint p : points) {
      double x0 = x(p.second(), maxX);
      double x1 = x(p.second() + 1, maxX);
      committed.append(pt(x0, y(p.committed(), maxY))).append(pt(x1, y(p.committed(), maxY)));
      offered.append(pt(x0, y(p.offeredTps(), maxY))).append(pt(x1, y(p.offeredTps(), maxY)));
      rejected.append(pt(x0, y(p.rejected(), maxY))).append(pt(x1, y(p.rejected(), maxY)));
    }
    s.append(poly(offered, "#888", "6,4"));
    s.append(poly(rejected, "#d62728", null));
    s.append(poly(committed, "#1f77b4", null));
    legend(
        s,
        new String[] {"committed / s", "offered (schedule)", "rejected / s"},
        new String[] {"#1f77b4", "#888", "#d62728"});
    return s.append("</svg>").toString();
  }

  static String cdfPlot(List<double[]> cdf) {
    StringBuilder s = svgOpen();
    if (cdf.isEmpty()) {
      return s.append(text(W / 2, H / 2, "no commits", "middle")).append("</svg>").toString();
    }
    double maxTail = 5; // x axis: log10(1 / (1 - p)), 0 .. 5 (99.999%)
    double maxY = 0;
    for (double[] p : cdf) {
      maxY = Math.max(maxY, p[1]);
    }
    maxY = nice(Math.max(0.001, maxY * 1.1));
    axes(s, maxTail, maxY, "percentile", "latency (ms)", true);
    StringBuilder line = new StringBuilder();
    for (double[] p : cdf) {
      double tail = p[0] >= 100 ? maxTail : Math.min(maxTail, Math.log10(100 / (100 - p[0])));
      line.append(pt(x(tail, maxTail), y(p[1], maxY)));
    }
    s.append(poly(line, "#1f77b4", null));
    return s.append("</svg>").toString();
  }

  /**
   * Why accepted + rejected is not submitted: a run rejected after it was accepted is counted in
   * both, and an unanswered one in neither. Marked when the identity does not hold.
   */
  static String accounting(RunReport.Counts c) {
    long sum = c.accepted() + c.rejected() - c.rejectedAfterAccept() + c.unanswered();
    String identity =
        "submitted "
            + c.submitted()
            + " = accepted "
            + c.accepted()
            + " + rejected "
            + c.rejected()
            + " &minus; rejected after accept "
            + c.rejectedAfterAccept()
            + " + unanswered "
            + c.unanswered();
    return sum == c.submitted()
        ? identity
        : "<span class=\"warn\">"
            + identity.replaceFirst(" = ", " &ne; ")
            + " (off by "
            + (c.submitted() - sum)
            + ")</span>";
  }

  /** Pixels of a label in the plots' font (about 7.5 px per character at 14 px). */
  static int labelWidth(String label) {
    return (int) Math.ceil(label.length() * 7.5);
  }

  /**
   * Heap bytes allocated per committed transaction by each stage that measured them (thread
   * allocation counters), or nothing when none did.
   */
  static String allocationTable(RunReport.Cpu cpu) {
    StringBuilder t = new StringBuilder();
    for (RunReport.Stage st : cpu.stages()) {
      if (st.allocatedBytes() >= 0) {
        t.append("<tr><td>")
            .append(esc(st.name()))
            .append("</td><td class=\"num\">")
            .append(fmt(st.allocatedBytesPerCommittedTx()))
            .append(" B</td><td class=\"num\">")
            .append(fmt(st.allocatedBytes() / 1048576.0))
            .append(" MiB</td></tr>");
      }
    }
    if (t.isEmpty()) {
      return "";
    }
    return "<h2>Heap allocated per committed transaction, by stage (measured)</h2>"
        + "<table><tr><th>stage</th><th>bytes per committed tx</th><th>total</th></tr>"
        + t
        + "</table><p class=\"small\">From the threads' allocation counters"
        + " (com.sun.management.ThreadMXBean#getThreadAllocatedBytes) over the measured run.</p>";
  }

  static String stagePlot(RunReport.Cpu cpu) {
    List<RunReport.Stage> stages = cpu.stages();
    int rowH = 30;
    int height = T + B + Math.max(1, stages.size() + 1) * rowH;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(W)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(W)
        .append(' ')
        .append(height)
        .append("\">");
    if (stages.isEmpty()) {
      return s.append(text(W / 2, height / 2, "the target reports no per-stage costs", "middle"))
          .append("</svg>")
          .toString();
    }
    double max = cpu.processCpuNsPerCommittedTx();
    for (RunReport.Stage st : stages) {
      max = Math.max(max, st.cpuNsPerCommittedTx());
    }
    max = nice(max * 1.05);
    // the labels are right-aligned against the bars: leave room for the longest one
    int longest = labelWidth("process total");
    for (RunReport.Stage st : stages) {
      longest = Math.max(longest, labelWidth(st.name()));
    }
    int left = Math.min(W / 2, Math.max(160, longest + 16));
    int width = W - left - 220;
    int yy = T;
    for (RunReport.Stage st : stages) {
      bar(
          s,
          left,
          yy,
          width,
          st.name(),
          st.cpuNsPerCommittedTx(),
          max,
          "#1f77b4",
          st.wallNsPerCommittedTx() > 0
              ? " (+" + fmt(st.wallNsPerCommittedTx()) + " ns wall in fsync)"
              : "");
      yy += rowH;
    }
    bar(
        s,
        left,
        yy,
        width,
        "process total",
        cpu.processCpuNsPerCommittedTx(),
        max,
        "#999",
        " (all threads)");
    yy += rowH;
    s.append(line(left, yy + 4, left + width, yy + 4, "#333"));
    for (int i = 0; i <= 4; i++) {
      double v = max * i / 4;
      double xx = left + width * i / 4.0;
      s.append(line(xx, yy + 4, xx, yy + 9, "#333"))
          .append(text(xx, yy + 24, fmt(v) + " ns", "middle"));
    }
    return s.append("</svg>").toString();
  }

  private static void bar(
      StringBuilder s,
      int left,
      int y,
      int width,
      String name,
      double value,
      double max,
      String color,
      String suffix) {
    double w = Math.max(1, width * value / max);
    s.append(text(left - 8, y + 17, name, "end"));
    s.append("<rect x=\"")
        .append(left)
        .append("\" y=\"")
        .append(y + 4)
        .append("\" width=\"")
        .append(f(w))
        .append("\" height=\"20\" fill=\"")
        .append(color)
        .append("\"/>");
    s.append(text(left + w + 6, y + 18, fmt(value) + " ns" + suffix, "start"));
  }

  private static StringBuilder svgOpen() {
    return new StringBuilder()
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(W)
        .append("\" height=\"")
        .append(H)
        .append("\" viewBox=\"0 0 ")
        .append(W)
        .append(' ')
        .append(H)
        .append("\">");
  }

  private static void axes(
      StringBuilder s,
      double maxX,
      double maxY,
      String xLabel,
      String yLabel,
      boolean percentileAxis) {
    s.append(line(L, T, L, H - B, "#333")).append(line(L, H - B, W - R, H - B, "#333"));
    for (int i = 0; i <= 5; i++) {
      double v = maxY * i / 5;
      double yy = y(v, maxY);
      s.append(line(L, yy, W - R, yy, "#eee")).append(text(L - 6, yy + 4, fmt(v), "end"));
    }
    if (percentileAxis) {
      String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
      for (int i = 0; i <= 5; i++) {
        double xx = x(i, maxX);
        s.append(line(xx, T, xx, H - B, "#eee")).append(text(xx, H - B + 16, labels[i], "middle"));
      }
    } else {
      double step = Math.max(1, nice(maxX / 10));
      for (double v = 0; v <= maxX + 1e-9; v += step) {
        double xx = x(v, maxX);
        s.append(line(xx, H - B, xx, H - B + 5, "#333"))
            .append(text(xx, H - B + 18, fmt(v), "middle"));
      }
    }
    s.append(text((L + W - R) / 2.0, H - 6, xLabel, "middle"));
    s.append("<text x=\"14\" y=\"")
        .append(f((T + H - B) / 2.0))
        .append("\" text-anchor=\"middle\" transform=\"rotate(-90 14 ")
        .append(f((T + H - B) / 2.0))
        .append(")\">")
        .append(esc(yLabel))
        .append("</text>");
  }

  private static void legend(StringBuilder s, String[] names, String[] colors) {
    int xx = L + 16;
    for (int i = 0; i < names.length; i++) {
      s.append(
          line(xx, T + 12, xx + 24, T + 12, colors[i])
              .replace("stroke-width=\"1\"", "stroke-width=\"3\""));
      s.append(text(xx + 30, T + 16, names[i], "start"));
      xx += 40 + names[i].length() * 7;
    }
  }

  private static double x(double v, double maxX) {
    return L + (W - L - R) * v / maxX;
  }

  private static double y(double v, double maxY) {
    return H - B - (H - B - T) * v / maxY;
  }

  private static String pt(double xx, double yy) {
    return f(xx) + "," + f(yy) + " ";
  }

  private static String poly(StringBuilder points, String color, String dash) {
    return "<polyline fill=\"none\" stroke=\""
        + color
        + "\" stroke-width=\"2\""
        + (dash == null ? "" : " stroke-dasharray=\"" + dash + "\"")
        + " points=\""
        + points.toString().strip()
        + "\"/>";
  }

  private static String line(double x1, double y1, double x2, double y2, String color) {
    return "<line x1=\""
        + f(x1)
        + "\" y1=\""
        + f(y1)
        + "\" x2=\""
        + f(x2)
        + "\" y2=\""
        + f(y2)
        + "\" stroke=\""
        + color
        + "\" stroke-width=\"1\"/>";
  }

  private static String text(double xx, double yy, String value, String anchor) {
    return "<text x=\""
        + f(xx)
        + "\" y=\""
        + f(yy)
        + "\" text-anchor=\""
        + anchor
        + "\">"
        + esc(value)
        + "</text>";
  }

  /** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least {@code v}. */
  static double nice(double v) {
    if (!(v > 0)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (m * power >= v * (1 - 1e-12)) {
        return m * power;
      }
    }
    return 10 * power;
  }

  private static void row(StringBuilder h, String key, String value) {
    h.append("<tr><td>")
        .append(key)
        .append("</td><td class=\"n\">")
        .append(value)
        .append("</td></tr>");
  }

  private static void pctRow(StringBuilder h, String name, RunReport.Percentiles p) {
    h.append("<tr><td>")
        .append(name)
        .append("</td><td class=\"n\">")
        .append(fmt(p.p50Ms()))
        .append("</td><td class=\"n\">")
        .append(fmt(p.p90Ms()))
        .append("</td><td class=\"n\">")
        .append(fmt(p.p99Ms()))
        .append("</td><td class=\"n\">")
        .append(fmt(p.p999Ms()))
        .append("</td><td class=\"n\">")
        .append(fmt(p.maxMs()))
        .append("</td></tr>");
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /**
   * The per-round table (label, scheduled length, offered rate, counts, commit latency) when the
   * run had more than one round: the warm-up round first and apart, then the others and their
   * total.
   */
  static String roundsTable(RunReport.Rounds rounds) {
    if (rounds == null || rounds.rounds().size() < 2) {
      return "";
    }
    StringBuilder h = new StringBuilder("<h2>Rounds</h2><table class=\"rounds\">");
    h.append(
        "<tr><th>round</th><th>s</th><th>offered tps</th><th>submitted</th><th>committed</th>"
            + "<th>rejected</th><th>lost</th><th>p50 ms</th><th>p99 ms</th></tr>");
    for (boolean warmupPass : new boolean[] {true, false}) {
      for (RunReport.Round round : rounds.rounds()) {
        if (round.warmup() == warmupPass) {
          roundRow(h, round, round.warmup() ? "warm-up, not in the total below" : null);
        }
      }
    }
    if (rounds.afterWarmup() != null) {
      roundRow(h, rounds.afterWarmup(), "total");
    }
    return h.append("</table>").toString();
  }

  private static void roundRow(StringBuilder h, RunReport.Round round, String note) {
    h.append("<tr><td>")
        .append(esc(round.label()))
        .append(note == null ? "" : " <span class=\"small\">(" + esc(note) + ")</span>")
        .append("</td><td>")
        .append(fmt(round.scheduleSeconds()))
        .append("</td><td>")
        .append(fmt(round.offeredTps()))
        .append("</td><td>")
        .append(round.submitted())
        .append("</td><td>")
        .append(round.committed())
        .append("</td><td>")
        .append(round.rejected())
        .append("</td><td>")
        .append(round.lost())
        .append("</td><td>")
        .append(fmt(round.commitFromIntended().p50Ms()))
        .append("</td><td>")
        .append(fmt(round.commitFromIntended().p99Ms()))
        .append("</td></tr>");
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
