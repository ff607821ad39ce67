package dev.agentledger.bench.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preflight against stand-in launchers: one that knows no cluster commands, one that knows both. */
class DemoPreflightTest {
  @TempDir Path home;

  private void launcher(String script) throws Exception {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path file = bin.resolve("agentledger");
    Files.writeString(file, "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void topLevelUsageWithStatusZeroDoesNotCountAsTheCommand() throws Exception {
    // What picocli does for 'agentledger node run --help' when 'node' is unknown.
    launcher("echo 'Usage: agentledger [-hV] [COMMAND]'; exit 0\n");
    assertThat(DemoPreflight.missing(home)).hasSize(2)
        .anyMatch(m -> m.contains("cluster init")).anyMatch(m -> m.contains("node run"));
  }

  @Test
  void commandsThatPrintTheirOwnUsageArePresent() throws Exception {
    launcher("echo \"Usage: agentledger $1 $2 [OPTIONS]\"; exit 0\n");
    assertThat(DemoPreflight.missing(home)).isEmpty();
  }

  @Test
  void aMissingLauncherIsNamed() throws Exception {
    assertThat(DemoPreflight.missing(home)).singleElement().asString().contains("launcher");
  }
}
