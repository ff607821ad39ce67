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
  void csvHasAHeaderAndOneRowPerSizeWithMedianAndP99() {
    Run r =
        run(
            "kernels",
            "bench",
            "--backend",
            "cpu",
            "--kernel",
            "sha256",
            "--sizes",
            "16,32",
            "--repeat",
            "5",
            "--warmup-max-s",
            "0.2",
            "--csv");
    assertThat(r.status()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).startsWith("kernel,backend,device,batch,samples,").contains("wall_ms_p99");
    assertThat(lines[1]).startsWith("sha256,cpu,").contains(",16,5,");
    assertThat(lines[2]).contains(",32,5,");
    assertThat(lines[1].split(",", -1)).hasSameSizeAs(lines[0].split(",", -1));
  }

  @Test
  void medianAndNearestRankP99() {
    assertThat(KernelsBenchCommand.median(new long[] {5, 1, 3})).isEqualTo(3);
    assertThat(KernelsBenchCommand.median(new long[] {4, 1, 3, 2})).isEqualTo(2);
    long[] hundred = new long[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = 100 - i;
    }
    assertThat(KernelsBenchCommand.p99(hundred)).isEqualTo(99);
    assertThat(KernelsBenchCommand.p99(new long[] {7, 9, 8})).isEqualTo(9);
  }

  @Test
  void malformedArgumentsExitWithStatus2() {
    assertThat(run("kernels", "bench", "--backend", "cpu", "--sizes", "lots").status())
        .isEqualTo(2);
    assertThat(run("kernels", "bench", "--backend", "cpu", "--sizes", "2^9..2^4").status())
        .isEqualTo(2);
    assertThat(run("kernels", "bench", "--backend", "tornado").status()).isEqualTo(2);
    assertThat(run("kernels", "bench", "--backend", "cpu", "--json", "--csv").status())
        .isEqualTo(2);
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

  @Test
  void msmBenchOnOpenClComparesWithTheCpuAndAgrees() {
    Run r =
        run(
            "kernels",
            "bench",
            "--backend",
            "opencl",
            "--kernel",
            "msm",
            "--sizes",
            "2^6,2^8",
            "--repeat",
            "3",
            "--warmup-max-s",
            "1");
    if (r.status() == 1 && r.out().isEmpty()) {
      // no OpenCL device here: one line saying why
      assertThat(r.err().lines()).hasSize(1);
      return;
    }
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("kernel msm on backend opencl")
        .contains("upload ms")
        .contains("cpu ms")
        .contains("crossover:");
    assertThat(r.out().lines().filter(l -> l.strip().matches("(64|256) .* yes.*"))).hasSize(2);
    assertThat(run("kernels", "bench", "--backend", "opencl", "--kernel", "msm", "--csv").status())
        .isEqualTo(2);
  }
}
