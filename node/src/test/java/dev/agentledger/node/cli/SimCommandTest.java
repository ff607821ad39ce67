package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class SimCommandTest {
  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        AgentLedgerCli.execute(
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out),
            new PrintWriter(err),
            args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void printsOneLinePerSeedAndASummary() {
    Run r =
        run(
            "sim",
            "--validators",
            "4",
            "--seeds",
            "5..7",
            "--faults",
            "crash,partition,delay,equivocate",
            "--duration-ms",
            "6000",
            "--heal-ms",
            "3000");
    assertThat(r.status()).isZero();
    assertThat(r.out().lines().filter(l -> l.startsWith("seed=")))
        .hasSize(3)
        .allMatch(l -> l.contains(" ok "));
    assertThat(r.out())
        .contains("summary: validators=4 byzantine=1")
        .contains("seeds=3 passed=3 failed=0");
  }

  @Test
  void wholeValidatorsPrintOneLinePerSeedAndASummary() {
    Run r =
        run(
            "sim",
            "--whole-validators",
            "--validators",
            "4",
            "--seeds",
            "1..2",
            "--faults",
            "crash,partition,delay,loss,equivocate");
    assertThat(r.status()).isZero();
    assertThat(r.out().lines().filter(l -> l.startsWith("seed=")))
        .hasSize(2)
        .allMatch(l -> l.contains(" ok ") && l.contains(" accepted=") && l.contains(" digest="));
    assertThat(r.out())
        .contains("summary: whole validators=4 byzantine=1")
        .contains("seeds=2 passed=2 failed=0");
  }

  @Test
  void wholeValidatorsTraceEveryValidatorsProgress() {
    Run r =
        run(
            "sim",
            "--whole-validators",
            "--validators",
            "4",
            "--seeds",
            "3",
            "--faults",
            "none",
            "--trace-ms",
            "1000");
    assertThat(r.status()).isZero();
    // one line per simulated second from 0 to the default 8 s, every validator on it
    assertThat(r.out().lines().filter(l -> l.startsWith("t=")))
        .hasSize(9)
        .allMatch(l -> l.contains("| v0") && l.contains("| v3 r="));
    assertThat(r.out()).contains("t=8000 |").contains("seeds=1 passed=1 failed=0");
  }

  @Test
  void malformedOptionsExitWithStatusTwoAndOneLine() {
    for (String[] args :
        new String[][] {
          {"sim", "--seeds", "x..y"},
          {"sim", "--seeds", "9..3"},
          {"sim", "--validators", "4", "--byzantine", "2", "--seeds", "1"},
          {"sim", "--seeds", "1", "--faults", "meteor"}
        }) {
      Run r = run(args);
      assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err().strip().lines()).hasSize(1);
    }
  }
}
