package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.sig.Ed25519;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ed25519 conformance tools and the speed command through the real CLI entry point. */
class Ed25519CliTest {
  private static final HexFormat HEX = HexFormat.of();

  record Result(int status, String out, String err) {}

  static Result run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        AgentLedgerCli.execute(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintWriter(out),
            new PrintWriter(err),
            args);
    return new Result(status, out.toString(), err.toString());
  }

  /** Honest, corrupted and ZIP-215 small-order lines, mixed. */
  private static String verifyInput(List<Boolean> expected) {
    Random random = new Random(3);
    StringBuilder in = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      byte[] msg = new byte[random.nextInt(40)];
      random.nextBytes(msg);
      byte[] pk = Ed25519.publicKey(seed);
      byte[] sig = Ed25519.sign(seed, msg);
      if (i % 5 == 2) {
        sig[random.nextInt(64)] ^= 1;
      }
      if (i % 11 == 4) {
        // identity key, identity R (non-canonical: y = p + 1), S = 0: valid under ZIP-215
        pk = HEX.parseHex("0100000000000000000000000000000000000000000000000000000000000000");
        sig =
            HEX.parseHex(
                "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
                    + "0000000000000000000000000000000000000000000000000000000000000000");
      }
      expected.add(Ed25519.verify(pk, sig, msg));
      in.append(HEX.formatHex(pk)).append(' ').append(HEX.formatHex(sig));
      if (msg.length > 0) {
        in.append(' ').append(HEX.formatHex(msg));
      }
      in.append('\n');
    }
    return in.toString();
  }

  @Test
  void batchModeGivesTheSingleModeAnswersInInputOrder() {
    List<Boolean> expected = new ArrayList<>();
    String input = verifyInput(expected);
    Result single = run(input, "tool", "ed25519-verify");
    assertThat(single.status()).isZero();
    List<String> lines = single.out().lines().toList();
    assertThat(lines).hasSize(expected.size());
    for (int i = 0; i < lines.size(); i++) {
      assertThat(lines.get(i)).isEqualTo(expected.get(i) ? "ok" : "bad");
    }
    assertThat(lines).contains("ok", "bad");
    for (String[] args :
        new String[][] {
          {"tool", "ed25519-verify", "--batch"},
          {"tool", "ed25519-verify", "--batch", "--threads", "3", "--batch-size", "16"},
          {"tool", "ed25519-verify", "--threads", "2"}
        }) {
      Result r = run(input, args);
      assertThat(r.status()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).isEqualTo(single.out());
    }
  }

  @Test
  void rfc8032VectorThroughSignAndVerify() {
    Result sign =
        run(
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\n",
            "tool",
            "ed25519-sign");
    assertThat(sign.status()).isZero();
    assertThat(sign.out().strip())
        .isEqualTo(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    Result verify =
        run(
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a "
                + sign.out().strip()
                + "\n",
            "tool",
            "ed25519-verify",
            "--batch");
    assertThat(verify.out().strip()).isEqualTo("ok");
  }

  @Test
  void malformedInputAndBadOptionsExitTwo() {
    Result badHex = run("zz 00\n", "tool", "ed25519-verify", "--batch");
    assertThat(badHex.status()).isEqualTo(2);
    assertThat(badHex.err().lines().count()).isEqualTo(1);
    Result badThreads = run("", "tool", "ed25519-verify", "--threads", "0");
    assertThat(badThreads.status()).isEqualTo(2);
    Result badBackend = run("", "tool", "ed25519-verify", "--backend", "quantum");
    assertThat(badBackend.status()).isEqualTo(2);
  }
}
