package dev.agentledger.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.cli.AgentLedgerCli;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Rules for every command of the whole CLI (node's, deploy-baremetal's and bench's, loaded as the
 * launcher loads them): one-sentence summaries, labels that read as words, a unit suffix on every
 * time flag, and the former spellings still accepted.
 */
class CliUsageRulesTest {
  /** Every command of the tree {@code agentledger} builds, the root first. */
  private static List<CommandLine> allCommands() {
    List<CommandLine> all = new ArrayList<>();
    collect(AgentLedgerCli.commandLine(InputStream.nullInputStream()), all);
    return all;
  }

  private static void collect(CommandLine command, List<CommandLine> all) {
    all.add(command);
    for (CommandLine sub : command.getSubcommands().values()) {
      if (!all.contains(sub)) {
        collect(sub, all);
      }
    }
  }

  @Test
  void everySummaryIsOneWholeSentence() {
    List<String> cut = new ArrayList<>();
    for (CommandLine command : allCommands()) {
      String[] description = command.getCommandSpec().usageMessage().description();
      if (description.length == 0) {
        continue;
      }
      String first = description[0].strip();
      // one sentence: ends with a full stop and holds no other sentence end
      if (!first.endsWith(".")
          || first.substring(0, first.length() - 1).matches(".*[.;] +[A-Z].*")) {
        cut.add(command.getCommandSpec().qualifiedName() + ": " + first);
      }
    }
    assertThat(cut).as("summaries cut mid-sentence").isEmpty();
  }

  private static final Pattern FIELD_NAME_LABEL = Pattern.compile("<\\w*[a-z][A-Z]\\w*>");
  private static final Pattern TIME_FLAG =
      Pattern.compile("--[a-z0-9-]*(duration|timeout|warmup|seconds|delay|interval)[a-z0-9-]*");

  @Test
  void labelsReadAsWordsAndTimeFlagsCarryAUnitSuffix() {
    List<String> problems = new ArrayList<>();
    for (CommandLine command : allCommands()) {
      for (OptionSpec option : command.getCommandSpec().options()) {
        String where = command.getCommandSpec().qualifiedName() + " " + option.longestName();
        if (option.arity().max() > 0 && FIELD_NAME_LABEL.matcher(option.paramLabel()).matches()) {
          problems.add(where + ": label " + option.paramLabel());
        }
        if (option.hidden() || option.arity().max() == 0 || option.paramLabel().equals("N")) {
          // a count (label N), such as --warmup-commits, is not a time
          continue;
        }
        for (String name : option.names()) {
          if (TIME_FLAG.matcher(name).matches() && !name.endsWith("-s") && !name.endsWith("-ms")) {
            problems.add(where + ": " + name + " has no unit suffix (-s or -ms)");
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  /**
   * picocli formats every description line with {@link String#format} (so that {@code %n} is a line
   * break) when it is asked for it; a bare {@code %} (as in "5% of a core") fails that, and picocli
   * then prints a warning on stderr for each such line, in every help screen. Asks every command,
   * option and positional parameter of the whole CLI for its description with stderr caught.
   */
  @Test
  void everyDescriptionFormatsWithoutAPicocliWarning() {
    List<CommandLine> commands = allCommands();
    ByteArrayOutputStream caught = new ByteArrayOutputStream();
    PrintStream stderr = System.err;
    System.setErr(new PrintStream(caught, true, StandardCharsets.UTF_8));
    try {
      for (CommandLine command : commands) {
        command.getCommandSpec().usageMessage().description();
        command.getCommandSpec().options().forEach(OptionSpec::description);
        command.getCommandSpec().positionalParameters().forEach(p -> p.description());
        command.getUsageMessage();
      }
    } finally {
      System.setErr(stderr);
    }
    List<String> warnings =
        caught
            .toString(StandardCharsets.UTF_8)
            .lines()
            .filter(line -> line.contains("picocli WARN"))
            .distinct()
            .toList();
    assertThat(warnings).as("descriptions picocli cannot format ('%' is written '%%')").isEmpty();
  }

  @Test
  void formerSpellingsSetTheSameValuesButAreNotListed() {
    SpeedEd25519Command speed = new SpeedEd25519Command();
    new CommandLine(speed).parseArgs("--seconds", "2.5", "--warmup", "0.25", "--jit-warmup", "4");
    assertThat(speed.seconds).isEqualTo(2.5);
    assertThat(speed.warmupSeconds).isEqualTo(0.25);
    assertThat(speed.jitWarmupSeconds).isEqualTo(4);
    SpeedEd25519Command canonical = new SpeedEd25519Command();
    new CommandLine(canonical).parseArgs("--duration-s", "2.5", "--jit-warmup-s", "4");
    assertThat(canonical.seconds).isEqualTo(2.5);
    assertThat(canonical.jitWarmupSeconds).isEqualTo(4);
    SpeedEd25519Command defaults = new SpeedEd25519Command();
    new CommandLine(defaults).parseArgs();
    assertThat(defaults.seconds).isEqualTo(1.0);

    LoadgenCommand loadgen = new LoadgenCommand();
    new CommandLine(loadgen)
        .parseArgs("--duration", "7", "--warmup-seconds", "3", "--drain-seconds", "2");
    assertThat(loadgen.durationSeconds).isEqualTo(7);
    assertThat(loadgen.warmupSeconds).isEqualTo(3);
    assertThat(loadgen.drainSeconds).isEqualTo(2);

    DemoCommand demo = new DemoCommand();
    new CommandLine(demo).parseArgs("--ready-timeout", "9", "--bound-seconds", "1.5");
    assertThat(demo.readyTimeoutSeconds).isEqualTo(9);
    assertThat(demo.boundSeconds).isEqualTo(1.5);

    String usage = new CommandLine(new LoadgenCommand()).getUsageMessage();
    assertThat(usage).contains("--duration-s").doesNotContain("--warmup-seconds");
  }
}
