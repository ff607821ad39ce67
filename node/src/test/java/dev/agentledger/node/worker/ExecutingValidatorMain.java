package dev.agentledger.node.worker;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * One validator of an {@link ExecutingCluster} in a JVM of its own (arguments: data directory root,
 * index, peer ports, client ports, batch delay in ms): prints {@code ready} once it serves, then
 * runs until killed.
 */
public final class ExecutingValidatorMain {
  private ExecutingValidatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
    dev.agentledger.node.runtime.Validator validator =
        ExecutingCluster.startFromCommand(
            Path.of(args[0]), Integer.parseInt(args[1]), args[2], args[3], Long.parseLong(args[4]));
    out.println("ready");
    Thread.sleep(Long.MAX_VALUE);
    validator.close();
  }
}
