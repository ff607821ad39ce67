package dev.agentledger.bench.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectionModelTest {
  private static Quantity measured(double ns) {
    return new Quantity(ns, "ns/tx", Quantity.Provenance.MEASURED, "test report");
  }

  /** Measured stages from (name, ns per tx) pairs, in order. */
  private static Map<String, Quantity> stages(Object... nameThenNs) {
    Map<String, Quantity> stages = new LinkedHashMap<>();
    for (int i = 0; i < nameThenNs.length; i += 2) {
      stages.put((String) nameThenNs[i], measured(((Number) nameThenNs[i + 1]).doubleValue()));
    }
    return stages;
  }

  private static Map<String, Quantity> stages() {
    return stages(
        "ingress",
        1_000,
        "sigverify",
        50_000,
        "txid-hash",
        2_000,
        "merkle",
        1_000,
        "persist",
        6_000);
  }

  private static HardwareProfile profile(String extra) throws Exception {
    String yaml =
        """
        name: test
        cores: {value: 10, unit: cores, provenance: assumed, source: t}
        cpuSpeedFactor: {value: 1.0, unit: x, provenance: assumed, source: t}
        usableCpuFraction: {value: 0.5, unit: f, provenance: assumed, source: t}
        nicBitsPerSecond: {value: 8.0e9, unit: bit/s, provenance: assumed, source: t}
        nicEfficiency: {value: 0.5, unit: f, provenance: assumed, source: t}
        bytesPerTxOnWire: {value: 500, unit: B, provenance: assumed, source: t}
        diskWriteBytesPerSecond: {value: 1.0e9, unit: B/s, provenance: assumed, source: t}
        bytesPersistedPerTx: {value: 1000, unit: B, provenance: assumed, source: t}
        unmeasuredCpuNsPerTx: {value: 40000, unit: ns, provenance: assumed, source: t}
        validatorsPerShard: {value: 4, unit: v, provenance: assumed, source: t}
        """
            + extra;
    return HardwareProfile.parse(
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test");
  }

  @Test
  void cpuBindsWithoutAGpu() throws Exception {
    ProjectionModel.Result r = ProjectionModel.project(1_000_000, stages(), profile(""));
    // cpu ns/tx = 60,000 measured + 40,000 assumed = 100,000; bound = 10 * 0.5 * 1e9 / 1e5 = 50,000
    // tx/s
    assertThat(r.cpuNsPerTx().value()).isEqualTo(100_000);
    assertThat(r.binding().resource()).isEqualTo("cpu");
    assertThat(r.binding().tps().value()).isCloseTo(50_000, within(1e-6));
    // network: 8e9 * 0.5 / 8 / 500 = 1e6; disk: 1e9 / 1000 = 1e6
    assertThat(r.bounds())
        .filteredOn(b -> b.resource().equals("network"))
        .first()
        .extracting(b -> b.tps().value())
        .isEqualTo(1e6);
    assertThat(r.bounds())
        .filteredOn(b -> b.resource().equals("disk"))
        .first()
        .extracting(b -> b.tps().value())
        .isEqualTo(1e6);
    assertThat(r.shards().value()).isEqualTo(20);
    assertThat(r.nodes().value()).isEqualTo(80);
    assertThat(r.shards().provenance()).isEqualTo(Quantity.Provenance.DERIVED);
  }

  @Test
  void aClusterReportCountsOneValidatorPerNodeAndAddsNothingUnmeasured() throws Exception {
    Map<String, Quantity> validators =
        stages(
            "validator v0",
            90_000,
            "validator v1",
            110_000,
            "validator v2",
            100_000,
            "validator v3",
            100_000,
            "per validator: verify stage (client and peer-batch signatures)",
            30_000,
            "per validator: JIT compiler, GC and other threads",
            20_000);
    HardwareProfile gpu =
        profile(
            """
        gpuSigverifyPerSecond: {value: 120000, unit: v/s, provenance: assumed, source: t}
        gpuEfficiency: {value: 0.5, unit: f, provenance: assumed, source: t}
        """);
    ProjectionModel.Result r = ProjectionModel.project(1_000_000, validators, gpu);
    // the mean (100,000 ns), not the sum (400,000) plus the assumed 40,000; no GPU offload
    assertThat(r.cpuNsPerTx().value()).isEqualTo(100_000);
    assertThat(r.cpuNsPerTx().source()).contains("mean over the 4 validators");
    assertThat(r.bounds())
        .extracting(ProjectionModel.Bound::resource)
        .doesNotContain("gpu-sigverify");
    assertThat(r.binding().resource()).isEqualTo("cpu");
    assertThat(r.binding().tps().value()).isCloseTo(50_000, within(1e-6));
    assertThat(r.shards().value()).isEqualTo(20);
  }

  @Test
  void gpuOffloadRemovesSigverifyAndHashingFromTheCpu() throws Exception {
    HardwareProfile gpu =
        profile(
            """
        gpuSigverifyPerSecond: {value: 120000, unit: v/s, provenance: assumed, source: t}
        gpuSha256BytesPerSecond: {value: 1.0e9, unit: B/s, provenance: assumed, source: t}
        hashBytesPerTx: {value: 500, unit: B, provenance: assumed, source: t}
        gpuEfficiency: {value: 0.5, unit: f, provenance: assumed, source: t}
        """);
    ProjectionModel.Result r = ProjectionModel.project(1_000_000, stages(), gpu);
    // cpu: 1,000 + 6,000 + 40,000 = 47,000 ns -> 5e9 / 47,000 = 106,383; gpu verify 60,000; gpu
    // hash 1e9*0.5/500 = 1e6
    assertThat(r.cpuNsPerTx().value()).isEqualTo(47_000);
    assertThat(r.binding().resource()).isEqualTo("gpu-sigverify");
    assertThat(r.binding().tps().value()).isEqualTo(60_000);
    assertThat(r.shards().value()).isEqualTo(17); // ceil(1e6 / 6e4)
    assertThat(r.nodes().value()).isEqualTo(68);
  }

  @Test
  void networkCanBind() throws Exception {
    Map<String, Quantity> cheap = Map.of("ingress", measured(1));
    HardwareProfile p = profile("").quantities().isEmpty() ? null : profile("");
    Map<String, Quantity> q = new LinkedHashMap<>(p.quantities());
    q.put("unmeasuredCpuNsPerTx", new Quantity(0, "ns", Quantity.Provenance.ASSUMED, "t"));
    q.put("diskWriteBytesPerSecond", new Quantity(1e12, "B/s", Quantity.Provenance.ASSUMED, "t"));
    ProjectionModel.Result r =
        ProjectionModel.project(10_000_000, cheap, new HardwareProfile("n", "", q));
    assertThat(r.binding().resource()).isEqualTo("network");
    assertThat(r.shards().value()).isEqualTo(10);
  }

  @Test
  void shippedProfilesParseAndClaimNoGpuMeasurement() throws Exception {
    for (String name : new String[] {"this-machine", "h100-appliance-64c"}) {
      HardwareProfile p = HardwareProfile.load(name);
      assertThat(p.quantities().keySet()).containsAll(HardwareProfile.REQUIRED);
      p.quantities().forEach((k, v) -> assertThat(v.source()).as(k).isNotBlank());
      p.quantities().entrySet().stream()
          .filter(e -> e.getKey().startsWith("gpu"))
          .forEach(
              e ->
                  assertThat(e.getValue().provenance())
                      .as(e.getKey())
                      .isNotEqualTo(Quantity.Provenance.MEASURED));
    }
    assertThat(HardwareProfile.load("this-machine").optional("gpuSigverifyPerSecond")).isEmpty();
    assertThat(HardwareProfile.load("h100-appliance-64c").optional("gpuSigverifyPerSecond"))
        .isPresent();
  }

  @Test
  void profilesMustLabelEveryNumber() {
    assertThatThrownBy(
            () -> profile("gpuEfficiency: {value: 0.5, unit: f, provenance: derived, source: t}\n"))
        .hasMessageContaining("cannot be 'derived'");
    assertThatThrownBy(
            () -> profile("gpuEfficiency: {value: 0.5, unit: f, provenance: guessed, source: t}\n"))
        .hasMessageContaining("provenance must be");
    assertThatThrownBy(() -> profile("gpuEfficiency: {value: 0.5, unit: f, provenance: assumed}\n"))
        .hasMessageContaining("source");
    assertThatThrownBy(
            () -> profile("cpuGhz: {value: 3, unit: GHz, provenance: assumed, source: t}\n"))
        .hasMessageContaining("unknown key");
  }
}
