package dev.agentledger.bench.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes: a polite one, one that ignores SIGTERM, one with a grandchild. */
class ProcessSupervisorTest {
  @TempDir Path dir;

  @Test
  void stopsEveryChildAndDescendantIncludingOnesThatIgnoreSigterm() throws Exception {
    List<ProcessHandle> handles;
    try (ProcessSupervisor supervisor = new ProcessSupervisor(Duration.ofMillis(500))) {
      supervisor.start(
          "polite",
          List.of("sh", "-c", "touch ready-polite; exec sleep 60"),
          dir,
          dir.resolve("a.log"));
      supervisor.start(
          "stubborn",
          // An ignored signal stays ignored across exec: one long-lived process, no transient
          // children that could end between listing the handles and checking them.
          List.of("sh", "-c", "trap '' TERM; touch ready-stubborn; exec sleep 60"),
          dir,
          dir.resolve("b.log"));
      supervisor.start(
          "parent",
          List.of("sh", "-c", "sleep 60 & touch ready-parent; wait"),
          dir,
          dir.resolve("c.log"));
      String notReady =
          Readiness.awaitAll(
              List.of(
                  Readiness.file(dir.resolve("ready-polite")),
                  Readiness.file(dir.resolve("ready-stubborn")),
                  Readiness.file(dir.resolve("ready-parent"))),
              supervisor,
              Duration.ofSeconds(20));
      assertThat(notReady).isNull();
      handles =
          supervisor.children().stream()
              .flatMap(
                  c ->
                      java.util.stream.Stream.concat(
                          java.util.stream.Stream.of(c.process().toHandle()),
                          c.process().toHandle().descendants()))
              .toList();
      assertThat(handles).hasSizeGreaterThanOrEqualTo(4);
      assertThat(handles).allMatch(ProcessHandle::isAlive);
    }
    assertThat(handles).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void aChildThatDiesBeforeReadinessIsReported() throws Exception {
    try (ProcessSupervisor supervisor = new ProcessSupervisor(Duration.ofMillis(200))) {
      supervisor.start("crasher", List.of("sh", "-c", "exit 3"), dir, dir.resolve("x.log"));
      String why =
          Readiness.awaitAll(
              List.of(Readiness.file(dir.resolve("never"))), supervisor, Duration.ofSeconds(20));
      assertThat(why).contains("crasher").contains("status 3");
    }
    assertThat(Files.exists(dir.resolve("x.log"))).isTrue();
  }
}
