package dev.agentledger.zk.groth16;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test circuits compiled by circom2 and set up by snarkjs (zk/scripts/build-circuit.sh) into {@code
 * target/circuits/NAME}; tests are skipped, with the reason, when Node.js is absent.
 */
public final class Circuits {
  private Circuits() {}

  /** Module root (zk/). */
  public static Path moduleDir() {
    Path p = Path.of("").toAbsolutePath();
    return Files.exists(p.resolve("scripts/npm-setup.sh")) ? p : p.resolve("zk");
  }

  /** Whether node and npm are on the PATH. */
  public static boolean nodeAvailable() {
    return run(List.of("sh", "-c", "command -v node && command -v npm"), null) == 0;
  }

  /** Builds (once) and returns the directory of circuit {@code name}. */
  public static synchronized Path build(String name, String... extra) {
    assumeTrue(nodeAvailable(), "node/npm not found on PATH: circom2/snarkjs cross-checks skipped");
    Path out = moduleDir().resolve("target/circuits/" + name + (extra.length > 0 ? extra[0] : ""));
    List<String> cmd = new ArrayList<>();
    cmd.add(moduleDir().resolve("scripts/build-circuit.sh").toString());
    cmd.add(name);
    cmd.add(out.toString());
    for (String e : extra) {
      cmd.add(e);
    }
    int rc = run(cmd, null);
    if (rc != 0) {
      throw new IllegalStateException("build-circuit.sh " + name + " failed with exit " + rc);
    }
    return out;
  }

  /** Compiles (once) circuit {@code name} and its witness, no setup; returns its directory. */
  public static synchronized Path compile(String name) {
    assumeTrue(nodeAvailable(), "node/npm not found on PATH: circom2/snarkjs cross-checks skipped");
    Path out = moduleDir().resolve("target/circuits/compiled-" + name);
    String script = moduleDir().resolve("scripts/compile-circuit.sh").toString();
    int rc = run(List.of(script, name, out.toString()), null);
    if (rc != 0) {
      throw new IllegalStateException("compile-circuit.sh " + name + " failed with exit " + rc);
    }
    return out;
  }

  /** Runs snarkjs with the given arguments; returns the exit status. */
  public static int snarkjs(Path workDir, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("node");
    cmd.add(moduleDir().resolve("npm/node_modules/snarkjs/build/cli.cjs").toString());
    cmd.addAll(List.of(args));
    return run(cmd, workDir);
  }

  /** Reads a file as UTF-8. */
  public static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static int run(List<String> cmd, Path dir) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      return pb.start().waitFor();
    } catch (IOException e) {
      return 127;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }
}
