package dev.agentledger.node.cli;

import dev.agentledger.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tool sha256}: SHA-256 of all of stdin (streamed; any size, empty included). */
@Command(
    name = "sha256",
    mixinStandardHelpOptions = true,
    description = "SHA-256 of the whole of stdin, as hex.")
final class ToolSha256Command implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Sha256 hasher = new Sha256();
    byte[] chunk = new byte[1 << 16];
    InputStream in = ToolCommand.root(spec).in();
    for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
      hasher.update(chunk, 0, n);
    }
    spec.commandLine().getOut().println(InputLines.hex(hasher.digest()));
    return 0;
  }
}
