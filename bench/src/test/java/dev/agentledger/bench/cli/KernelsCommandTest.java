package dev.agentledger.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.cli.AgentLedgerCli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class KernelsCommandTest {
  record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int status =
        AgentLedgerCli.execute(
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out),
            new PrintWriter(err),
            args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void probeListsEveryBackendWithDevicesOrReasons() {
    Run r = run("kernels", "probe");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("cpu     available").contains("opencl").contains("cuda");
    Run json = run("kernels", "probe", "--json");
    assertThat(json.status()).isZero();
    assertThat(json.out()).contains("\"backend\" : \"cpu\"").contains("\"available\" : true");
  }

  @Test
  void benchOnTheHostPrintsARowPerSize() {
    Run r =
        run(
            "kernels",
            "bench",
            "--backend",
            "cpu",
            "--kernel",
            "sha256",
            "--sizes",
            "2^4..2^6",
            "--repeat",
            "1");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("host CPU")
        .contains("        16 ")
        .contains("        32 ")
        .contains("        64 ")
        .contains("crossover: n/a (cpu is the host backend)");
  }

  @Test
  void malformedArgumentsExitWithStatus2() {
    assertThat(run("kernels", "bench", "--backend", "cpu", "--sizes", "lots").status())
        .isEqualTo(2);
    assertThat(run("kernels", "bench", "--backend", "cpu", "--sizes", "2^9..2^4").status())
        .isEqualTo(2);
    assertThat(run("kernels", "bench", "--backend", "tornado").status()).isEqualTo(2);
    assertThat(run("kernels", "bench", "--backend", "cpu", "--kernel", "md5").status())
        .isEqualTo(2);
  }

  @Test
  void cpuResolvesToSigVerifysHostBackendForEd25519() {
    Run r =
        run(
            "kernels",
            "bench",
            "--backend",
            "cpu",
            "--kernel",
            "ed25519",
            "--sizes",
            "4",
            "--repeat",
            "1");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("kernel ed25519 on backend cpu-ed25519");
  }
}
