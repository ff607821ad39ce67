package dev.agentledger.node.cli;

import dev.agentledger.hash.Sha256;
import dev.agentledger.hash.cid.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tool cid}: CIDv1 (raw codec, sha2-256, base32 lower) of all of stdin. */
@Command(
    name = "cid",
    mixinStandardHelpOptions = true,
    description =
        "CIDv1 of the whole of stdin: raw codec (0x55), sha2-256 multihash, base32 lower multibase ('b...').")
final class ToolCidCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Sha256 hasher = new Sha256();
    byte[] chunk = new byte[1 << 16];
    InputStream in = ToolCommand.root(spec).in();
    for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
      hasher.update(chunk, 0, n);
    }
    spec.commandLine().getOut().println(Cid.ofDigest(Cid.RAW, hasher.digest()));
    return 0;
  }
}
