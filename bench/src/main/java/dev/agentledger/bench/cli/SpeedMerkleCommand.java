package dev.agentledger.bench.cli;

import dev.agentledger.bench.speed.HashSpeed;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code speed merkle}: RFC 6962 node hashing (65-byte messages), every engine against the JDK
 * MessageDigest.
 */
@Command(
    name = "merkle",
    mixinStandardHelpOptions = true,
    description =
        "RFC 6962 nodes SHA-256(0x01||left||right) (name merkle-node): project-simd, project-single, jdk-messagedigest.")
final class SpeedMerkleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HashSpeedOptions options;

  @Override
  public Integer call() throws InterruptedException {
    options.run(HashSpeed.Workload.MERKLE_NODE, spec.commandLine().getOut());
    return 0;
  }
}
