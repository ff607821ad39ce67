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
    allowOnly(root, source, "name", "description", "rounds", "contents");
    JsonNode rounds = root.path("rounds");
    if (!rounds.isArray() || rounds.isEmpty()) {
      throw new IllegalArgumentException(source + ": 'rounds' must be a non-empty list");
    }
    List<RateSchedule> segments = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    int index = 0;
    for (JsonNode round : rounds) {
      String where = source + ": rounds[" + index++ + "]";
      allowOnly(round, where, "label", "description", "durationSeconds", "rateControl");
      labels.add(round.path("label").asText("round-" + index));
      JsonNode control = round.path("rateControl");
      allowOnly(control, where + ".rateControl", "type", "opts");
      JsonNode opts = control.path("opts");
      String type = control.path("type").asText("");
      switch (type) {
        case "fixed-rate" -> {
          allowOnly(opts, where + ".opts", "tps");
          segments.add(new FixedRate(positive(opts, "tps", where), seconds(round, where)));
        }
        case "linear-rate" -> {
          allowOnly(opts, where + ".opts", "startingTps", "finishingTps");
          segments.add(
              new LinearRamp(
                  number(opts, "startingTps", where),
                  number(opts, "finishingTps", where),
                  seconds(round, where)));
        }
        case "step-rate" -> {
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
                    + ": rateControl.type must be fixed-rate, linear-rate or step-rate, got '"
                    + type
                    + "'");
      }
    }
    RateSchedule schedule =
        segments.size() == 1 ? segments.get(0) : new CompositeSchedule(segments);
    return new WorkloadFile(
        root.path("name").asText("unnamed"),
        root.path("description").asText(""),
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

  private static long seconds(JsonNode node, String where) {
    return (long) (positive(node, "durationSeconds", where) * 1e9);
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
