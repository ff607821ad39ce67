package dev.agentledger.node.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentledger.node.cli.CliTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** System.Logger lines through SLF4J and Logback, as text or JSON, one line per event. */
class LogSetupTest {
  private final PrintStream realErr = System.err;

  @AfterEach
  void restore() {
    System.setErr(realErr);
    LogSetup.configure(LogSetup.Format.TEXT, LogSetup.Level.INFO);
  }

  private List<String> logged(LogSetup.Format format, LogSetup.Level level) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    LogSetup.configure(format, level);
    System.Logger log = System.getLogger("dev.agentledger.node.logging.Probe");
    log.log(System.Logger.Level.DEBUG, "hidden unless debug");
    log.log(System.Logger.Level.INFO, "peer v2 \"lost\"\nsecond line");
    log.log(System.Logger.Level.WARNING, "with a cause", new IllegalStateException("boom"));
    System.setErr(realErr);
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void textIsOneLinePerEventWithUtcTimeLevelAndComponent() {
    List<String> lines = logged(LogSetup.Format.TEXT, LogSetup.Level.INFO);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  Probe \\[.+\\] peer v2 \"lost\" \\| second line");
    assertThat(lines.get(1))
        .contains("WARN  Probe")
        .contains("with a cause | java.lang.IllegalStateException: boom | at ");
  }

  @Test
  void jsonIsOneObjectPerLineAndTheLevelFilters() throws Exception {
    List<String> lines = logged(LogSetup.Format.JSON, LogSetup.Level.DEBUG);
    assertThat(lines).hasSize(3);
    ObjectMapper json = new ObjectMapper();
    JsonNode info = json.readTree(lines.get(1));
    assertThat(info.path("level").asText()).isEqualTo("INFO");
    assertThat(info.path("loggerName").asText()).isEqualTo("dev.agentledger.node.logging.Probe");
    assertThat(info.path("formattedMessage").asText()).isEqualTo("peer v2 \"lost\"\nsecond line");
    assertThat(info.path("timestamp").asLong()).isPositive();
    assertThat(json.readTree(lines.get(2)).path("throwable").toString()).contains("boom");
  }

  @Test
  void theOptionsAreAcceptedOnEveryCommandAndCheckedByTheParser() {
    assertThat(
            CliTestSupport.run("", "version", "--log-format", "json", "--log-level", "debug")
                .status())
        .isZero();
    CliTestSupport.Result bad = CliTestSupport.run("", "version", "--log-format", "xml");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("--log-format");
  }
}
