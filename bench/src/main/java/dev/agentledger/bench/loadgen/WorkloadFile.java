package dev.agentledger.bench.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentledger.bench.loadgen.core.CompositeSchedule;
import dev.agentledger.bench.loadgen.core.FixedRate;
import dev.agentledger.bench.loadgen.core.LinearRamp;
import dev.agentledger.bench.loadgen.core.RateSchedule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A workload file in the manner of Hyperledger Caliper's benchmark configuration: named rounds,
 * each with a duration and a {@code rateControl} ({@code type} plus {@code opts}), played in order,
 * and a {@code contents} section describing the agent runs. Unknown keys are errors, so a typo
 * never silently falls back to a default.
 *
 * <pre>
 * name: mixed
 * rounds:
 *   - label: warmup
 *     durationSeconds: 5
 *     rateControl: { type: fixed-rate, opts: { tps: 500 } }
 *   - label: ramp
 *     durationSeconds: 10
 *     rateControl: { type: linear-rate, opts: { startingTps: 500, finishingTps: 3000 } }
 *   - label: steps
 *     rateControl:
 *       type: step-rate
 *       opts: { steps: [ { tps: 1000, durationSeconds: 5 }, { tps: 2000, durationSeconds: 5 } ] }
 * contents: { agents: 10000, agentSkew: 1.1, badSignatureFraction: 0.005 }
 * </pre>
 *
 * <p>Caliper's own layout is read too: the rounds under {@code test.rounds[]}, each lasting {@code
 * txDuration} seconds or {@code txNumber} transactions (at the round's rate: {@code txNumber / tps}
 * for fixed-rate, {@code 2 txNumber / (startingTps + finishingTps)} for linear-rate), with
 * Caliper's {@code fixed-rate} and {@code linear-rate} controls. {@code test.workers} and a round's
 * {@code workload} (Caliper's transaction module) are accepted and not used: the runs are always
 * AgentRuns described by {@code contents}. Caliper's other controls (fixed-load, maximum-rate,
 * composite-rate, ...) are refused by name.
 *
 * <pre>
 * test:
 *   name: caliper-style
 *   rounds:
 *     - { label: warmup, txNumber: 500, rateControl: { type: fixed-rate, opts: { tps: 100 } } }
 *     - { label: ramp, txDuration: 30, rateControl: { type: linear-rate,
 *         opts: { startingTps: 100, finishingTps: 400 } } }
 * </pre>
 */
public record WorkloadFile(
    String name,
    String description,
    List<String> roundLabels,
    RateSchedule schedule,
    RunContents contents) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public static WorkloadFile read(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return parse(in, path.toString());
    }
  }

  /** Reads a workload shipped under {@code /workloads/NAME.yaml} on the class path. */
  public static WorkloadFile builtin(String name) throws IOException {
    try (InputStream in = WorkloadFile.class.getResourceAsStream("/workloads/" + name + ".yaml")) {
      if (in == null) {
        throw new IOException("no built-in workload '" + name + "'");
      }
      return parse(in, "built-in " + name);
    }
  }

  static WorkloadFile parse(InputStream in, String source) throws IOException {
    JsonNode root;
    try {
      root = YAML.readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not YAML: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + ": expected a mapping at the top");
    }
    allowOnly(root, source, "name", "description", "rounds", "contents", "test");
    JsonNode test = root.path("test");
    String rootWhere = source;
    if (!test.isMissingNode()) {
      if (root.has("rounds") || root.has("name") || root.has("description")) {
        throw new IllegalArgumentException(
            source + ": give the rounds either under 'test' (Caliper) or at the top, not both");
      }
      allowOnly(test, source + ": test", "name", "description", "workers", "rounds");
      rootWhere = source + ": test";
    }
    JsonNode header = test.isMissingNode() ? root : test;
    JsonNode rounds = header.path("rounds");
    if (!rounds.isArray() || rounds.isEmpty()) {
      throw new IllegalArgumentException(rootWhere + ": 'rounds' must be a non-empty list");
    }
    List<RateSchedule> segments = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    int index = 0;
    for (JsonNode round : rounds) {
      String where = rootWhere + ": rounds[" + index++ + "]";
      allowOnly(
          round,
          where,
          "label",
          "description",
          "durationSeconds",
          "txDuration",
          "txNumber",
          "rateControl",
          "workload");
      int lengths =
          (round.has("durationSeconds") ? 1 : 0)
              + (round.has("txDuration") ? 1 : 0)
              + (round.has("txNumber") ? 1 : 0);
      if (lengths > 1) {
        throw new IllegalArgumentException(
            where + ": give one of durationSeconds, txDuration or txNumber");
      }
      labels.add(round.path("label").asText("round-" + index));
      JsonNode control = round.path("rateControl");
      allowOnly(control, where + ".rateControl", "type", "opts");
      JsonNode opts = control.path("opts");
      String type = control.path("type").asText("");
      switch (type) {
        case "fixed-rate" -> {
          allowOnly(opts, where + ".opts", "tps");
          double tps = positive(opts, "tps", where);
          segments.add(new FixedRate(tps, roundNs(round, where, tps)));
        }
        case "linear-rate" -> {
          allowOnly(opts, where + ".opts", "startingTps", "finishingTps");
          double starting = number(opts, "startingTps", where);
          double finishing = number(opts, "finishingTps", where);
          segments.add(
              new LinearRamp(
                  starting, finishing, roundNs(round, where, (starting + finishing) / 2)));
        }
        case "step-rate" -> {
          if (round.has("txDuration") || round.has("txNumber")) {
            throw new IllegalArgumentException(
                where + ": step-rate takes its lengths from opts.steps, not txDuration/txNumber");
          }
          allowOnly(opts, where + ".opts", "steps");
          JsonNode steps = opts.path("steps");
          if (!steps.isArray() || steps.isEmpty()) {
            throw new IllegalArgumentException(
                where + ": step-rate needs opts.steps, a non-empty list");
          }
          double[] tps = new double[steps.size()];
          long[] durations = new long[steps.size()];
          for (int k = 0; k < steps.size(); k++) {
            allowOnly(steps.get(k), where + ".steps[" + k + "]", "tps", "durationSeconds");
            tps[k] = positive(steps.get(k), "tps", where + ".steps[" + k + "]");
            durations[k] = seconds(steps.get(k), where + ".steps[" + k + "]");
          }
          segments.add(CompositeSchedule.steps(tps, durations));
        }
        default ->
            throw new IllegalArgumentException(
                where
                    + ": rateControl.type '"
                    + type
                    + "' is not supported (supported: fixed-rate, linear-rate or step-rate;"
                    + " an open-loop generator has no fixed-load or feedback control)");
      }
    }
    RateSchedule schedule =
        segments.size() == 1 ? segments.get(0) : new CompositeSchedule(segments);
    return new WorkloadFile(
        header.path("name").asText("unnamed"),
        header.path("description").asText(""),
        labels,
        schedule,
        contents(root.path("contents"), source));
  }

  private static RunContents contents(JsonNode node, String source) {
    RunContents d = RunContents.defaults();
    if (node.isMissingNode() || node.isNull()) {
      return d;
    }
    String where = source + ": contents";
    allowOnly(
        node,
        where,
        "agents",
        "agentSkew",
        "models",
        "maxInputTokens",
        "maxOutputTokens",
        "tokenSkew",
        "outcomes",
        "badSignatureFraction",
        "invalidFieldFraction",
        "chainId",
        "seed");
    double[] outcomes = d.outcomeWeights();
    JsonNode o = node.path("outcomes");
    if (!o.isMissingNode()) {
      allowOnly(o, where + ".outcomes", "success", "failure", "partial", "cancelled");
      outcomes =
          new double[] {
            o.path("success").asDouble(0),
            o.path("failure").asDouble(0),
            o.path("partial").asDouble(0),
            o.path("cancelled").asDouble(0)
          };
    }
    try {
      return new RunContents(
          node.path("agents").asInt(d.agents()),
          node.path("agentSkew").asDouble(d.agentSkew()),
          node.path("models").asInt(d.models()),
          node.path("maxInputTokens").asLong(d.maxInputTokens()),
          node.path("maxOutputTokens").asLong(d.maxOutputTokens()),
          node.path("tokenSkew").asDouble(d.tokenSkew()),
          outcomes,
          node.path("badSignatureFraction").asDouble(d.badSignatureFraction()),
          node.path("invalidFieldFraction").asDouble(d.invalidFieldFraction()),
          node.path("chainId").asInt(d.chainId()),
          node.path("seed").asLong(d.seed()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  private static void allowOnly(JsonNode node, String where, String... keys) {
    if (node.isMissingNode()) {
      return;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + ": expected a mapping");
    }
    Set<String> allowed = Set.of(keys);
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException(
            where + ": unknown key '" + name + "' (allowed: " + String.join(", ", keys) + ")");
      }
    }
  }

  private static double number(JsonNode node, String key, String where) {
    JsonNode value = node.path(key);
    if (!value.isNumber()) {
      throw new IllegalArgumentException(where + ": '" + key + "' must be a number");
    }
    return value.asDouble();
  }

  private static double positive(JsonNode node, String key, String where) {
    double v = number(node, key, where);
    if (!(v > 0)) {
      throw new IllegalArgumentException(where + ": '" + key + "' must be positive");
    }
    return v;
  }

  /**
   * A round's length: {@code durationSeconds} or Caliper's {@code txDuration} (seconds), or
   * Caliper's {@code txNumber} transactions at {@code meanTps}.
   */
  private static long roundNs(JsonNode round, String where, double meanTps) {
    if (round.has("txNumber")) {
      JsonNode number = round.get("txNumber");
      if (!number.canConvertToLong() || number.asLong() < 1) {
        throw new IllegalArgumentException(where + ": 'txNumber' must be a positive integer");
      }
      if (!(meanTps > 0)) {
        throw new IllegalArgumentException(where + ": txNumber needs a positive rate");
      }
      return (long) Math.ceil(number.asLong() / meanTps * 1e9);
    }
    if (round.has("txDuration")) {
      return (long) (positive(round, "txDuration", where) * 1e9);
    }
    return seconds(round, where);
  }

  private static long seconds(JsonNode node, String where) {
    return (long) (positive(node, "durationSeconds", where) * 1e9);
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
