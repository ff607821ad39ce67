package dev.agentledger.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs programs for the deployment tests: merged output, a timeout, the exit status. */
final class Shell {
  record Result(int status, String output) {
    boolean ok() {
      return status == 0;
    }
  }

  private Shell() {}

  /** The deploy-baremetal module directory (surefire runs tests there). */
  static Path moduleDir() {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("scripts")) ? here : here.resolve("deploy-baremetal");
  }

  static Path script(String name) {
    return moduleDir().resolve("scripts").resolve(name);
  }

  static Result run(long timeoutSeconds, List<String> command)
      throws IOException, InterruptedException {
    return run(timeoutSeconds, Map.of(), command);
  }

  static Result run(long timeoutSeconds, Map<String, String> env, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    byte[][] out = new byte[1][];
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try {
                    out[0] = process.getInputStream().readAllBytes();
                  } catch (IOException e) {
                    out[0] = ("<output unreadable: " + e + ">").getBytes(StandardCharsets.UTF_8);
                  }
                });
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor();
      reader.join(5_000);
      return new Result(
          124, "timed out after " + timeoutSeconds + " s: " + command + "\n" + text(out[0]));
    }
    reader.join();
    return new Result(process.exitValue(), text(out[0]));
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
  }

  /** True when {@code program} is available, after ensure-tool.sh had a chance to install it. */
  static Result ensureTool(String program, String... packages)
      throws IOException, InterruptedException {
    List<String> command =
        new java.util.ArrayList<>(List.of("bash", script("ensure-tool.sh").toString(), program));
    command.addAll(List.of(packages));
    return run(1500, command);
  }

  static boolean isRoot() {
    try {
      return run(10, List.of("id", "-u")).output().strip().equals("0");
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
