package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hash conformance tools (DESIGN.md section 10) against published and independent vectors. */
class HashToolsCliTest {
  private static final HexFormat HEX = HexFormat.of();

  record Run(int status, String out, String err) {}

  static Run run(byte[] stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        AgentLedgerCli.execute(
            new ByteArrayInputStream(stdin), new PrintWriter(out), new PrintWriter(err), args);
    return new Run(status, out.toString(), err.toString());
  }

  static List<String> vectorLines(String resource) throws IOException {
    try (InputStream in = HashToolsCliTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      List<String> lines = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          lines.add(line.strip());
        }
      }
      return lines;
    }
  }

  @Test
  void merkleToolsReproduceTheCertificateTransparencyVectors() throws IOException {
    List<String> leaves = new ArrayList<>();
    int checked = 0;
    for (String line : vectorLines("/vectors/rfc6962-ct.txt")) {
      String[] f = line.split(" ");
      switch (f[0]) {
        case "leaf" -> leaves.add(f[1].equals("-") ? "" : f[1]);
        case "root" -> {
          Run r = run(stdin(leaves.subList(0, Integer.parseInt(f[1]))), "tool", "merkle-root");
          assertThat(r.status()).isZero();
          assertThat(r.out()).isEqualTo(f[2] + "\n");
          checked++;
        }
        case "inclusion" -> {
          Run r =
              run(
                  stdin(leaves.subList(0, Integer.parseInt(f[2]))),
                  "tool",
                  "merkle-proof",
                  "--index",
                  f[1]);
          assertThat(r.status()).isZero();
          assertThat(r.out().lines().toList()).isEqualTo(List.of(f).subList(3, f.length));
          checked++;
        }
        case "consistency" -> {
          Run r =
              run(
                  stdin(leaves.subList(0, Integer.parseInt(f[2]))),
                  "tool",
                  "merkle-consistency",
                  "--old",
                  f[1]);
          assertThat(r.status()).isZero();
          assertThat(r.out().lines().toList()).isEqualTo(List.of(f).subList(3, f.length));
          checked++;
        }
        default -> throw new AssertionError(line);
      }
    }
    assertThat(checked).isEqualTo(14);
  }

  @Test
  void cidMatchesTheIndependentRawCidVectors() throws IOException {
    int checked = 0;
    for (String line : vectorLines("/vectors/cid-raw.txt")) {
      String[] f = line.split(" ");
      byte[] input = f[0].equals("-") ? new byte[0] : HEX.parseHex(f[0]);
      Run r = run(input, "tool", "cid");
      assertThat(r.status()).isZero();
      assertThat(r.out()).isEqualTo(f[1] + "\n");
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(16);
  }

  @Test
  void malformedInputExitsWithStatusTwoAndOneLine() {
    for (Run r :
        List.of(
            run("zz\n".getBytes(StandardCharsets.UTF_8), "tool", "merkle-root"),
            run("0\n".getBytes(StandardCharsets.UTF_8), "tool", "merkle-root"),
            run(
                "00\n01\n".getBytes(StandardCharsets.UTF_8),
                "tool",
                "merkle-proof",
                "--index",
                "2"),
            run(
                "00\n01\n".getBytes(StandardCharsets.UTF_8),
                "tool",
                "merkle-proof",
                "--index",
                "-1"),
            run(
                "00\n01\n".getBytes(StandardCharsets.UTF_8),
                "tool",
                "merkle-consistency",
                "--old",
                "3"),
            run(new byte[0], "tool", "merkle-proof"))) {
      assertThat(r.status()).isEqualTo(2);
      assertThat(r.err().lines().count()).isEqualTo(1);
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void emptyInputIsTheEmptyTree() {
    Run r = run(new byte[0], "tool", "merkle-root");
    assertThat(r.out())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n");
    Run c =
        run("00\n".getBytes(StandardCharsets.UTF_8), "tool", "merkle-consistency", "--old", "0");
    assertThat(c.status()).isZero();
    assertThat(c.out()).isEmpty();
  }

  private static byte[] stdin(List<String> lines) {
    StringBuilder text = new StringBuilder();
    lines.forEach(line -> text.append(line).append('\n'));
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }
}
