package dev.agentledger.bench.cli;

import dev.agentledger.bench.speed.HashSpeed;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code speed sha256}: SHA-256 of 64-byte messages, every engine against the JDK MessageDigest.
 */
@Command(
    name = "sha256",
    mixinStandardHelpOptions = true,
    description =
        "SHA-256 of 64-byte messages (name sha256-64B): project-simd, project-single, jdk-messagedigest.")
final class SpeedSha256Command implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HashSpeedOptions options;

  @Override
  public Integer call() throws InterruptedException {
    options.run(HashSpeed.Workload.SHA256_64B, spec.commandLine().getOut());
    return 0;
  }
}
