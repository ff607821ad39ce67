package dev.agentledger.bench.projection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster projection: from measured CPU nanoseconds per transaction per stage and one
 * appliance's hardware profile to the shard rate one committee of validators sustains, the number
 * of shards a target rate needs, and which resource binds. Pure arithmetic; every output is a
 * {@link Quantity} labelled {@code derived}, every input keeps its own label.
 *
 * <p>The model (each validator of a shard processes every transaction of its shard):
 *
 * <ul>
 *   <li>CPU: {@code cores * usableCpuFraction * 1e9 / cpuNsPerTx}, where cpuNsPerTx is the sum of
 *       the measured stages times {@code cpuSpeedFactor}, minus stages offloaded to a GPU, plus the
 *       assumed cost of stages the measurement did not include ({@code unmeasuredCpuNsPerTx});
 *   <li>GPU sigverify: {@code gpuSigverifyPerSecond * gpuEfficiency} when the profile has a GPU;
 *   <li>GPU hashing: {@code gpuSha256BytesPerSecond * gpuEfficiency / hashBytesPerTx};
 *   <li>network: each validator receives every transaction of its shard once (from a client or from
 *       the peer that batched it): {@code nicBitsPerSecond * nicEfficiency / 8 / bytesPerTxOnWire};
 *   <li>disk: {@code diskWriteBytesPerSecond / bytesPersistedPerTx}.
 * </ul>
 *
 * The shard rate is the smallest bound; shards = ceil(target / shard rate); nodes = shards *
 * validatorsPerShard. Cross-shard receipts, the beacon committee and consensus message overhead
 * beyond {@code unmeasuredCpuNsPerTx} are not modelled, and the result says so.
 */
public final class ProjectionModel {
  /** Stage names that a GPU sigverify backend takes off the CPU. */
  public static final Set<String> SIGVERIFY_STAGES = Set.of("sigverify");

  /** Stage names that GPU hashing takes off the CPU. */
  public static final Set<String> HASH_STAGES = Set.of("txid-hash", "merkle");

  private ProjectionModel() {}

  /** One resource's limit on the shard rate. */
  public record Bound(String resource, Quantity tps, String formula) {}

  /**
   * The projection.
   *
   * @param cpuNsPerTx CPU per transaction on the appliance (derived)
   * @param bounds every resource's limit
   * @param binding the smallest bound
   * @param shards shards needed for the target
   * @param nodes appliance nodes needed (shards * validators per shard)
   * @param notModelled what the model leaves out
   */
  /** Stage names of a cluster report: one whole validator process each. */
  public static final String WHOLE_VALIDATOR_PREFIX = "validator ";

  public record Result(
      Quantity targetTps,
      Map<String, Quantity> measuredStages,
      Quantity cpuNsPerTx,
      List<Bound> bounds,
      Bound binding,
      Quantity shards,
      Quantity nodes,
      List<String> notModelled) {}

  public static Result project(
      double targetTps, Map<String, Quantity> measuredStageNsPerTx, HardwareProfile hw) {
    if (!(targetTps > 0)) {
      throw new IllegalArgumentException("target TPS must be positive");
    }
    if (measuredStageNsPerTx.isEmpty()) {
      throw new IllegalArgumentException("no measured per-stage costs");
    }
    boolean gpuVerify = hw.optional("gpuSigverifyPerSecond").isPresent();
    boolean gpuHash =
        hw.optional("gpuSha256BytesPerSecond").isPresent()
            && hw.optional("hashBytesPerTx").isPresent();
    double speed = hw.get("cpuSpeedFactor").value();
    if (measuredStageNsPerTx.keySet().stream()
        .anyMatch(name -> name.startsWith(WHOLE_VALIDATOR_PREFIX))) {
      return projectWholeValidators(targetTps, measuredStageNsPerTx, hw, speed);
    }
    double cpuNs = hw.get("unmeasuredCpuNsPerTx").value();
    StringBuilder cpuFormula = new StringBuilder();
    for (Map.Entry<String, Quantity> stage : measuredStageNsPerTx.entrySet()) {
      String name = stage.getKey();
      if ((gpuVerify && SIGVERIFY_STAGES.contains(name))
          || (gpuHash && HASH_STAGES.contains(name))) {
        continue;
      }
      cpuNs += stage.getValue().value() * speed;
      cpuFormula.append(name).append(" + ");
    }
    cpuFormula.append("unmeasuredCpuNsPerTx; measured stages times cpuSpeedFactor");
    if (gpuVerify || gpuHash) {
      cpuFormula
          .append("; offloaded to GPU: ")
          .append(gpuVerify ? "sigverify " : "")
          .append(gpuHash ? "hashing" : "");
    }
    Quantity cpuNsPerTx = Quantity.derived(cpuNs, "ns/tx", cpuFormula.toString());
    return finish(targetTps, measuredStageNsPerTx, hw, cpuNs, cpuNsPerTx, gpuVerify, gpuHash);
  }

  /**
   * A report from the real cluster measures each validator process whole ({@code validator vN}:
   * ingress, verification, worker, consensus, execution, state, RocksDB and networking together).
   * An appliance node is one validator and processes every transaction of its shard, so its CPU per
   * transaction is the mean over the validators, not their sum; nothing is added for stages the
   * measurement missed, and nothing is taken off for a GPU (signature verification ran on the CPU
   * inside those numbers). Other entries of such a report (a per-stage breakdown of the same CPU)
   * are shown but not added.
   */
  private static Result projectWholeValidators(
      double targetTps, Map<String, Quantity> measured, HardwareProfile hw, double speed) {
    double sum = 0;
    int validators = 0;
    for (Map.Entry<String, Quantity> e : measured.entrySet()) {
      if (e.getKey().startsWith(WHOLE_VALIDATOR_PREFIX)) {
        sum += e.getValue().value() * speed;
        validators++;
      }
    }
    double cpuNs = sum / validators;
    Quantity cpuNsPerTx =
        Quantity.derived(
            cpuNs,
            "ns/tx",
            "mean over the "
                + validators
                + " validators' measured CPU per committed tx, times cpuSpeedFactor (each node is one"
                + " validator; the whole pipeline was measured, so unmeasuredCpuNsPerTx is not added, and no stage is taken off for a"
                + " GPU: verification ran on the CPU inside these numbers)");
    return finish(targetTps, measured, hw, cpuNs, cpuNsPerTx, false, false);
  }

  private static Result finish(
      double targetTps,
      Map<String, Quantity> measuredStageNsPerTx,
      HardwareProfile hw,
      double cpuNs,
      Quantity cpuNsPerTx,
      boolean gpuVerify,
      boolean gpuHash) {
    List<Bound> bounds = new ArrayList<>();
    double cores = hw.get("cores").value();
    double usable = hw.get("usableCpuFraction").value();
    bounds.add(
        new Bound(
            "cpu",
            Quantity.derived(
                cores * usable * 1e9 / cpuNs,
                "tx/s",
                "cores * usableCpuFraction * 1e9 / cpuNsPerTx"),
            "cores * usableCpuFraction * 1e9 / cpuNsPerTx"));
    double gpuEfficiency = hw.optional("gpuEfficiency").map(Quantity::value).orElse(1.0);
    if (gpuVerify) {
      double rate = hw.get("gpuSigverifyPerSecond").value() * gpuEfficiency;
      bounds.add(
          new Bound(
              "gpu-sigverify",
              Quantity.derived(rate, "tx/s", "gpuSigverifyPerSecond * gpuEfficiency"),
              "gpuSigverifyPerSecond * gpuEfficiency"));
    }
    if (gpuHash) {
      double rate =
          hw.get("gpuSha256BytesPerSecond").value()
              * gpuEfficiency
              / hw.get("hashBytesPerTx").value();
      bounds.add(
          new Bound(
              "gpu-hashing",
              Quantity.derived(
                  rate, "tx/s", "gpuSha256BytesPerSecond * gpuEfficiency / hashBytesPerTx"),
              "gpuSha256BytesPerSecond * gpuEfficiency / hashBytesPerTx"));
    }
    double nic =
        hw.get("nicBitsPerSecond").value()
            * hw.get("nicEfficiency").value()
            / 8
            / hw.get("bytesPerTxOnWire").value();
    bounds.add(
        new Bound(
            "network",
            Quantity.derived(
                nic, "tx/s", "nicBitsPerSecond * nicEfficiency / 8 / bytesPerTxOnWire"),
            "each validator receives every tx of its shard once"));
    double disk = hw.get("diskWriteBytesPerSecond").value() / hw.get("bytesPersistedPerTx").value();
    bounds.add(
        new Bound(
            "disk",
            Quantity.derived(disk, "tx/s", "diskWriteBytesPerSecond / bytesPersistedPerTx"),
            "every validator persists every tx of its shard"));

    Bound binding = bounds.get(0);
    for (Bound b : bounds) {
      if (b.tps().value() < binding.tps().value()) {
        binding = b;
      }
    }
    double shardTps = binding.tps().value();
    double shards = Math.ceil(targetTps / shardTps);
    double validators = hw.get("validatorsPerShard").value();
    List<String> notModelled =
        List.of(
            "cross-shard receipts (assumed 0% of transactions cross shards)",
            "the beacon committee (layer 1) is not counted in the node total",
            "consensus, execution, state and RocksDB costs are only as good as unmeasuredCpuNsPerTx unless the report measured them",
            "load imbalance between shards (hot agents) and headroom for failures",
            "per-tx costs are taken at the rate the report ran; batch-amortised stages (persist/fsync, merkle) cost less per tx at higher rates, so they are overstated from a low-rate run");
    Map<String, Quantity> measured = new LinkedHashMap<>(measuredStageNsPerTx);
    return new Result(
        new Quantity(targetTps, "tx/s", Quantity.Provenance.ASSUMED, "the requested target"),
        measured,
        cpuNsPerTx,
        bounds,
        binding,
        Quantity.derived(shards, "shards", "ceil(target / " + binding.resource() + " bound)"),
        Quantity.derived(shards * validators, "nodes", "shards * validatorsPerShard"),
        notModelled);
  }
}
