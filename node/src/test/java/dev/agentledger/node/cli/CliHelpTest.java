package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.cli.CliTestSupport.Result;
import org.junit.jupiter.api.Test;

/** {@code help}, {@code completion}, "did you mean" on unknown input, and the version's commit. */
class CliHelpTest {
  private static Result run(String... args) {
    return CliTestSupport.run(new byte[0], args);
  }

  @Test
  void helpPrintsTheCommandsAndHelpOfACommandPrintsItsUsage() {
    Result all = run("help");
    assertThat(all.status()).isZero();
    assertThat(all.out()).contains("Usage: agentledger").contains("submit").contains("completion");
    Result submit = run("help", "submit");
    assertThat(submit.status()).isZero();
    assertThat(submit.out()).contains("Usage: agentledger submit").contains("--max-fee");
  }

  @Test
  void completionPrintsABashCompletionScriptForTheWholeTree() {
    Result script = run("completion");
    assertThat(script.status()).as(script.err()).isZero();
    assertThat(script.out())
        .contains("complete -F")
        .contains("agentledger")
        .contains("--wait-committed");
  }

  @Test
  void unknownCommandExitsTwoWithOneLineThatSuggestsTheNearestCommand() {
    Result typo = run("submitt", "--generate", "1");
    assertThat(typo.status()).isEqualTo(2);
    assertThat(typo.err().strip()).doesNotContain("\n").contains("did you mean submit");
  }

  @Test
  void unknownFlagExitsTwoWithOneLineThatSuggestsTheNearestFlag() {
    Result typo = run("submit", "--generat", "5", "--address", "127.0.0.1:1");
    assertThat(typo.status()).isEqualTo(2);
    assertThat(typo.err().strip())
        .doesNotContain("\n")
        .startsWith("agentledger submit: ")
        .contains("did you mean --generate")
        .endsWith("(see 'agentledger submit --help')");
  }

  @Test
  void versionPrintsTheCommitItWasBuiltFrom() {
    Result version = run("version");
    assertThat(version.status()).isZero();
    assertThat(version.outLines().get(0)).startsWith("agentledger ");
    // the build stamps a 40-hex commit from git, or "unknown" outside a checkout; never a
    // placeholder
    assertThat(version.outLines().get(1))
        .matches("commit ([0-9a-f]{40}( \\(modified\\))?|unknown)");
    assertThat(run("--version").out()).contains("commit ");
  }
}
