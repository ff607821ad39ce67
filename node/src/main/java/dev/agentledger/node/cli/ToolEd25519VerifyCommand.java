package dev.agentledger.node.cli;

import dev.agentledger.sig.Ed25519;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tool ed25519-verify}: lines {@code pubhex sighex [msghex]} to {@code ok} / {@code bad}. */
@Command(
    name = "ed25519-verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify each line 'pubhex sighex msghex'; prints ok or bad per line, in input order.",
      "A line without msghex verifies the empty message. Malformed lines (bad hex, wrong lengths)",
      "exit 2; well-formed but invalid keys or signatures print bad."
    })
final class ToolEd25519VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<String> lines = InputLines.readAll(ToolCommand.root(spec).in());
    int n = lines.size();
    byte[][] keys = new byte[n][];
    byte[][] signatures = new byte[n][];
    byte[][] messages = new byte[n][];
    for (int i = 0; i < n; i++) {
      String[] fields = InputLines.fields(lines.get(i), i + 1, 2, 3, "pubhex sighex msghex");
      keys[i] = InputLines.hex(fields[0], i + 1, "public key", Ed25519.PUBLIC_KEY_BYTES);
      signatures[i] = InputLines.hex(fields[1], i + 1, "signature", Ed25519.SIGNATURE_BYTES);
      messages[i] = fields.length > 2 ? InputLines.hex(fields[2], i + 1, "message") : new byte[0];
    }
    PrintWriter out = spec.commandLine().getOut();
    for (int i = 0; i < n; i++) {
      out.println(Ed25519.verify(keys[i], signatures[i], messages[i]) ? "ok" : "bad");
    }
    return 0;
  }
}
