package dev.agentledger.bench.speed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentledger.node.json.JsonCasing;
import dev.agentledger.node.json.StrictJson;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code speed execution --json} line: camelCase keys, numbers as JSON numbers. */
class ExecutionSpeedJsonTest {
  @Test
  void aRowIsOneJsonObjectWithCamelCaseKeys() throws Exception {
    ExecutionSpeed.Row row =
        new ExecutionSpeed.Row(
            "execution",
            "rocksdb",
            1000,
            1_000_000,
            100,
            900,
            1000,
            512.5,
            3.25,
            2.5,
            400,
            150,
            200,
            180.5);
    JsonNode json = StrictJson.mapper().readTree(row.json(300));
    JsonCasing.assertCamelCase(json, Set.of());
    assertThat(json.path("commitSize").asInt()).isEqualTo(1000);
    assertThat(json.path("cpuNsPerTx").asDouble()).isEqualTo(900);
    assertThat(json.path("allocBytesPerTx").asDouble()).isEqualTo(512.5);
    assertThat(json.path("persistCpuNsPerTx").asDouble()).isEqualTo(400);
    assertThat(json.path("stageCpuNsPerTx").asDouble()).isEqualTo(150);
    assertThat(json.path("closeCpuNsPerTx").asDouble()).isEqualTo(200);
    assertThat(json.path("logBytesPerTx").asDouble()).isEqualTo(180.5);
    assertThat(json.path("cpuRatioToFloor").asDouble()).isEqualTo(3.0);
    assertThat(json.path("pageReadsPerTx").asDouble()).isZero();
    assertThat(json.path("pageWritesPerTx").asDouble()).isZero();
  }
}
