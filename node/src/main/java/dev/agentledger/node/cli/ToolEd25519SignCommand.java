package dev.agentledger.node.cli;

import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tool ed25519-sign}: lines {@code seedhex [msghex]} to RFC 8032 signatures. */
@Command(
    name = "ed25519-sign",
    mixinStandardHelpOptions = true,
    description = {
      "Sign each line 'seedhex msghex' (RFC 8032 Ed25519); prints the signature hex per line.",
      "A line with the seed alone signs the empty message."
    })
final class ToolEd25519SignCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<String> lines = InputLines.readAll(ToolCommand.root(spec).in());
    byte[][] seeds = new byte[lines.size()][];
    byte[][] messages = new byte[lines.size()][];
    for (int i = 0; i < lines.size(); i++) {
      String[] fields = InputLines.fields(lines.get(i), i + 1, 1, 2, "seedhex msghex");
      seeds[i] = InputLines.hex(fields[0], i + 1, "seed", Ed25519.SEED_BYTES);
      messages[i] = fields.length > 1 ? InputLines.hex(fields[1], i + 1, "message") : new byte[0];
    }
    PrintWriter out = spec.commandLine().getOut();
    for (int i = 0; i < seeds.length; i++) {
      Ed25519KeyPair key = Ed25519KeyPair.fromSeed(seeds[i]);
      out.println(InputLines.hex(key.sign(messages[i])));
      key.destroy();
    }
    return 0;
  }
}
