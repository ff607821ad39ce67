package dev.agentledger.node.cli;

import dev.agentledger.node.keys.KeyFile;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code agentledger keygen --out FILE}: a new Ed25519 key file (0600, never overwritten). */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description =
        "Generate an Ed25519 key into a new file (mode 0600) and print its public key hex.")
final class KeygenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Key file to create; must not exist.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Ed25519KeyPair key = Ed25519.generate(SecureRandom.getInstanceStrong());
    try {
      KeyFile.write(out, key);
      spec.commandLine().getOut().println(InputLines.hex(key.publicKey()));
    } finally {
      key.destroy();
    }
    return 0;
  }
}
