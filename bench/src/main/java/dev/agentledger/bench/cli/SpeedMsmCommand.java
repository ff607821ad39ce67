package dev.agentledger.bench.cli;

import dev.agentledger.node.cli.MalformedInputException;
import dev.agentledger.zk.bench.MsmSpeed;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code agentledger speed msm}: thin wrapper over {@link MsmSpeed} (zk module). */
@Command(
    name = "msm",
    mixinStandardHelpOptions = true,
    description = {
      "BN254 G1 multi-scalar multiplication: the project against ffjavascript in the same run.",
      "ffjavascript (snarkjs's engine) runs through node on the same points and scalars.",
      "Each side times 5 runs up to 2^16 points, 3 up to 2^18, 1 above, and prints the median."
    })
final class SpeedMsmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--json",
      description =
          "One JSON object per line: name, impl, size, threads, ms (median of the timed runs),"
              + " runs.")
  boolean json;

  @Option(
      names = "--sizes",
      defaultValue = "2^10..2^16",
      description = {
        "A..B: powers 2^A to 2^B (2^10..2^20 or 10..20); or a comma list of powers (2^16, or a",
        "bare number up to 64) and plain sizes (a bare number above 64, e.g. 65536)",
        "(default ${DEFAULT-VALUE})."
      })
  String sizes;

  @Option(
      names = "--threads",
      split = ",",
      description = "Thread counts (default 1 and all cores).")
  List<Integer> threads;

  @Option(names = "--no-ffjavascript", description = "Skip the ffjavascript anchor.")
  boolean noAnchor;

  @Option(
      names = "--cpu-time",
      description = "Report process CPU time instead of wall time (shared machines).")
  boolean cpuTime;

  @Override
  public Integer call() throws Exception {
    List<Integer> sizeList;
    try {
      sizeList = MsmSpeed.parseSizes(sizes);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(e.getMessage());
    }
    List<Integer> t = threads;
    if (t == null || t.isEmpty()) {
      t = new ArrayList<>(List.of(1));
      int all = Runtime.getRuntime().availableProcessors();
      if (all > 1) {
        t.add(all);
      }
    }
    java.nio.file.Path npm = noAnchor ? null : MsmSpeed.npmDir(spec.commandLine().getErr());
    MsmSpeed.run(sizeList, t, json, cpuTime, npm, spec.commandLine().getOut());
    return 0;
  }
}
