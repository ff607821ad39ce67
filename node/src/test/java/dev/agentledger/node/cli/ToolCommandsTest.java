package dev.agentledger.node.cli;

import static dev.agentledger.node.cli.CliTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ToolCommandsTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void sha256MatchesTheJdkForEmptyAndRandomInputsOfManySizes() throws Exception {
    Random random = new Random(7);
    for (int size : new int[] {0, 1, 55, 56, 63, 64, 65, 1000, 65_536, 65_537, 300_001}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      CliTestSupport.Result result = run(data, "tool", "sha256");
      assertThat(result.status()).isZero();
      assertThat(result.out())
          .isEqualTo(
              HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data))
                  + System.lineSeparator());
    }
  }

  @Test
  void signReproducesRfc8032AndVerifyAnswersPerLineInOrder() throws Exception {
    List<String[]> vectors = rfc8032();
    StringBuilder signInput = new StringBuilder();
    StringBuilder verifyInput = new StringBuilder();
    List<String> expectedVerdicts = new ArrayList<>();
    for (String[] v : vectors) {
      String message = v[2].equals("-") ? "" : v[2];
      signInput.append(v[0]).append(message.isEmpty() ? "" : " " + message).append('\n');
      verifyInput
          .append(v[1])
          .append(' ')
          .append(v[3])
          .append(message.isEmpty() ? "" : " " + message)
          .append('\n');
      expectedVerdicts.add("ok");
      // The same line with a corrupted signature.
      String badSig = (v[3].charAt(0) == '0' ? '1' : '0') + v[3].substring(1);
      verifyInput
          .append(v[1])
          .append(' ')
          .append(badSig)
          .append(message.isEmpty() ? "" : " " + message)
          .append('\n');
      expectedVerdicts.add("bad");
    }
    CliTestSupport.Result signed = run(signInput.toString(), "tool", "ed25519-sign");
    assertThat(signed.status()).isZero();
    assertThat(signed.outLines())
        .containsExactlyElementsOf(vectors.stream().map(v -> v[3]).toList());
    CliTestSupport.Result verified = run(verifyInput.toString(), "tool", "ed25519-verify");
    assertThat(verified.status()).as(verified.err()).isZero();
    assertThat(verified.outLines()).containsExactlyElementsOf(expectedVerdicts);
  }

  @Test
  void signAcceptsCrLfAndUpperCaseHex() {
    String seed = "9D61B19DEFFD5A60BA844AF492EC2CC44449C5697B326919703BAC031CAE7F60";
    CliTestSupport.Result result = run(seed + "\r\n", "tool", "ed25519-sign");
    assertThat(result.status()).isZero();
    assertThat(result.out()).startsWith("e5564300c360ac72");
  }

  @Test
  void verifyOfAValidKeyWithAWrongMessageIsBadNotAnError() {
    Ed25519KeyPair key = Ed25519KeyPair.fromSeed(new byte[32]);
    String sig = HEX.formatHex(key.sign(new byte[] {1}));
    String pub = HEX.formatHex(key.publicKey());
    CliTestSupport.Result result =
        run(pub + " " + sig + " 02\n" + pub + " " + sig + " 01\n", "tool", "ed25519-verify");
    assertThat(result.outLines()).containsExactly("bad", "ok");
  }

  @Test
  void malformedInputExitsTwoWithOneLineNamingTheProblemAndPrintsNothing() {
    String pub = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    String sig = "e5".repeat(64);
    String[][] cases = {
      {"ed25519-sign", "zz\n", "line 1: seed is not valid hex"},
      {"ed25519-sign", "abc\n", "odd number of digits"},
      {"ed25519-sign", "00\n", "seed must be 32 bytes"},
      {"ed25519-sign", "\n", "expected 'seedhex msghex', got 0"},
      {"ed25519-sign", "00 11 22\n", "got 3 field(s)"},
      {"ed25519-verify", pub + "\n", "line 1: expected 'pubhex sighex msghex', got 1"},
      {
        "ed25519-verify",
        pub + " " + sig + " 00\n" + pub + " 00 00\n",
        "line 2: signature must be 64 bytes"
      },
      {"ed25519-verify", "00 " + sig + "\n", "public key must be 32 bytes"},
      {"ed25519-verify", pub + " " + sig + " 0g\n", "message is not valid hex"},
    };
    for (String[] c : cases) {
      CliTestSupport.Result result = run(c[1], "tool", c[0]);
      assertThat(result.status()).as(c[0] + " " + c[1]).isEqualTo(2);
      assertThat(result.out()).isEmpty();
      assertThat(result.err().lines().count()).as(result.err()).isEqualTo(1);
      assertThat(result.err()).contains(c[2]).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void unknownCommandsAndOptionsAreUsageErrorsOnOneLine() {
    for (String[] args :
        new String[][] {{"tool", "nope"}, {"keygen"}, {"--bogus"}, {"tool", "sha256", "--x"}}) {
      CliTestSupport.Result result = run("", args);
      assertThat(result.status()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(result.err().lines().count()).as(result.err()).isEqualTo(1);
    }
  }

  @Test
  void everyCommandHasHelp() {
    List<String[]> paths = new ArrayList<>();
    collect(new CommandLine(new AgentLedgerCli(System.in)), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(5);
    for (String[] path : paths) {
      String[] args = java.util.Arrays.copyOf(path, path.length + 1);
      args[path.length] = "--help";
      CliTestSupport.Result result = run("", args);
      assertThat(result.status()).as(String.join(" ", args)).isZero();
      assertThat(result.out()).as(String.join(" ", args)).contains("Usage:");
    }
  }

  @Test
  void keygenWritesAKeyPrintsItsPublicKeyAndRefusesToOverwrite(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.key");
    CliTestSupport.Result first = run("", "keygen", "--out", file.toString());
    assertThat(first.status()).as(first.err()).isZero();
    assertThat(first.out().strip())
        .hasSize(64)
        .isEqualTo(HEX.formatHex(dev.agentledger.node.keys.KeyFile.read(file).publicKey()));
    byte[] before = Files.readAllBytes(file);
    CliTestSupport.Result second = run("", "keygen", "--out", file.toString());
    assertThat(second.status()).isEqualTo(1);
    assertThat(second.err()).contains("refusing to overwrite");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void noArgumentsPrintsVersionAndCommands() {
    CliTestSupport.Result result = run("");
    assertThat(result.status()).isZero();
    assertThat(result.out()).startsWith("agentledger ").contains("tool").contains("ed25519-verify");
  }

  private static void collect(CommandLine cli, List<String> prefix, List<String[]> out) {
    for (var entry : cli.getSubcommands().entrySet()) {
      if (entry.getKey().equals("help")) {
        continue;
      }
      List<String> path = new ArrayList<>(prefix);
      path.add(entry.getKey());
      out.add(path.toArray(String[]::new));
      collect(entry.getValue(), path, out);
    }
  }

  static List<String[]> rfc8032() throws Exception {
    Path file =
        Path.of("..", "sig-verify", "src", "test", "resources", "vectors", "rfc8032-ed25519.txt");
    return Files.readAllLines(file).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split(" "))
        .toList();
  }
}
