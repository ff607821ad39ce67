package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** node run / node status / submit: help works, malformed input exits 2 with one line on stderr. */
class DataPathCommandsTest {
  @TempDir Path dir;

  record Result(int status, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        AgentLedgerCli.execute(
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out),
            new PrintWriter(err),
            args);
    return new Result(status, out.toString(), err.toString());
  }

  @Test
  void helpOnEveryCommand() {
    assertThat(run("node", "run", "--help").out()).contains("--config").contains("transport");
    assertThat(run("node", "status", "--help").out()).contains("--address");
    assertThat(run("submit", "--help").out()).contains("--generate").contains("--file");
  }

  @Test
  void malformedInputExitsTwo() throws Exception {
    Result missingConfig = run("node", "run", "--config", dir.resolve("nope.yaml").toString());
    assertThat(missingConfig.status()).isEqualTo(2);
    assertThat(missingConfig.err().strip()).doesNotContain("\n");

    Result badAddress = run("node", "status", "--address", "no-port");
    assertThat(badAddress.status()).isEqualTo(2);

    Path runs = dir.resolve("runs.jsonl");
    Files.writeString(runs, "{\"nonce\": 0, \"seed\": \"" + "11".repeat(32) + "\"}\n{not json\n");
    Result badLine =
        run("submit", "--address", "127.0.0.1:1", "--chain-id", "1", "--file", runs.toString());
    assertThat(badLine.status()).isEqualTo(2);
    assertThat(badLine.err()).contains("line 2");

    Result both =
        run(
            "submit",
            "--address",
            "127.0.0.1:1",
            "--chain-id",
            "1",
            "--file",
            runs.toString(),
            "--generate",
            "5");
    assertThat(both.status()).isEqualTo(2);

    Result negativeFee =
        run(
            "submit",
            "--address",
            "127.0.0.1:1",
            "--chain-id",
            "1",
            "--generate",
            "1",
            "--max-fee",
            "-1");
    assertThat(negativeFee.status()).isEqualTo(2);
    assertThat(negativeFee.err()).contains("--max-fee must be >= 0");

    Result badQuery =
        run(
            "submit",
            "--address",
            "127.0.0.1:1",
            "--chain-id",
            "1",
            "--generate",
            "1",
            "--query-address",
            "no-port");
    assertThat(badQuery.status()).isEqualTo(2);
  }
}
