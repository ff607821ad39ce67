package dev.agentledger.bench.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's preflight against real sockets and directories. */
class DemoPreflightTest {
  @TempDir Path dir;

  private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

  @Test
  void portsFollowClusterInitsLayout() {
    assertThat(DemoPreflight.ports(2, 24100))
        .containsExactly(
            new DemoPreflight.Port("v0", "peer", 24100),
                new DemoPreflight.Port("v0", "client", 24200),
            new DemoPreflight.Port("v0", "query", 24300),
                new DemoPreflight.Port("v0", "metrics", 24400),
            new DemoPreflight.Port("v1", "peer", 24101),
                new DemoPreflight.Port("v1", "client", 24201),
            new DemoPreflight.Port("v1", "query", 24301),
                new DemoPreflight.Port("v1", "metrics", 24401));
  }

  @Test
  void aPortInUseIsNamedWithItsValidatorAndRole() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = taken.getLocalPort();
      List<String> problems =
          DemoPreflight.problems(
              JAVA_HOME, dir.resolve("data"), List.of(new DemoPreflight.Port("v3", "query", port)));
      assertThat(problems)
          .singleElement()
          .asString()
          .contains("v3 query port 127.0.0.1:" + port + " is in use");
    }
  }

  @Test
  void anUnwritableDataDirectoryAndAMissingJavaAreNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    List<String> problems = DemoPreflight.problems(dir.resolve("no-jdk"), file, List.of());
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).contains("no java executable at " + dir.resolve("no-jdk/bin/java"));
    assertThat(problems.get(1)).contains("data directory " + file + " is not writable");
  }

  @Test
  void nothingIsMissingOnAGoodSetup() {
    assertThat(DemoPreflight.problems(JAVA_HOME, dir.resolve("data"), List.of())).isEmpty();
    assertThat(Files.isDirectory(dir.resolve("data"))).isTrue();
  }
}
