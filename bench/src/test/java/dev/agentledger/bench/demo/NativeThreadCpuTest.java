package dev.agentledger.bench.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native thread kinds and their CPU, read from a {@code /proc} tree. */
class NativeThreadCpuTest {
  @Test
  void kindsFollowTheKernelsTruncatedThreadNames() {
    assertThat(NativeThreadCpu.kind("C2 CompilerThre")).isEqualTo(NativeThreadCpu.JIT);
    assertThat(NativeThreadCpu.kind("C1 CompilerThre")).isEqualTo(NativeThreadCpu.JIT);
    assertThat(NativeThreadCpu.kind("GC Thread#1")).isEqualTo(NativeThreadCpu.GC);
    assertThat(NativeThreadCpu.kind("G1 Main Marker")).isEqualTo(NativeThreadCpu.GC);
    assertThat(NativeThreadCpu.kind("G1 Conc#0")).isEqualTo(NativeThreadCpu.GC);
    assertThat(NativeThreadCpu.kind("G1 Refine#0")).isEqualTo(NativeThreadCpu.GC);
    assertThat(NativeThreadCpu.kind("rocksdb:low")).isEqualTo(NativeThreadCpu.ROCKSDB);
    assertThat(NativeThreadCpu.kind("rocksdb:high")).isEqualTo(NativeThreadCpu.ROCKSDB);
    assertThat(NativeThreadCpu.kind("VM Thread")).isEqualTo(NativeThreadCpu.JVM);
    assertThat(NativeThreadCpu.kind("JFR Recorder Th")).isEqualTo(NativeThreadCpu.JVM);
    // the application's Java threads are the stages' (threadsCpuMs), not a native kind
    assertThat(NativeThreadCpu.kind("worker-0")).isNull();
    assertThat(NativeThreadCpu.kind("multiThreadIoEv")).isNull();
    assertThat(NativeThreadCpu.kind("main")).isNull();
  }

  @Test
  void ticksAreUserPlusSystemAfterTheParenthesisedName() {
    // a name with a space and a parenthesis: fields are counted after the last ')'
    String stat =
        "4242 (odd) name) S 1 4242 4242 0 -1 4194368 10 0 0 0 150 25 0 0 20 0 40 0 100 1 2 3";
    assertThat(NativeThreadCpu.ticks(stat)).isEqualTo(175);
    assertThatThrownBy(() -> NativeThreadCpu.ticks("no name here"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a /proc stat line");
    assertThatThrownBy(() -> NativeThreadCpu.ticks("1 (x) S 1 2"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NativeThreadCpu.ticks("1 (x) S 1 2 3 4 5 6 7 8 9 10 ab 12 13"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readSumsThreadsByKindAndSkipsOthers(@TempDir Path proc) throws IOException {
    task(proc, 7, 1, "main", 500, 500);
    task(proc, 7, 2, "C2 CompilerThre", 300, 20);
    task(proc, 7, 3, "C1 CompilerThre", 50, 30);
    task(proc, 7, 4, "GC Thread#0", 10, 5);
    task(proc, 7, 5, "rocksdb:low", 7, 3);
    task(proc, 7, 6, "VM Thread", 1, 1);
    // a thread that ended between listing and reading: no stat file
    Path gone = proc.resolve("7/task/9");
    Files.createDirectories(gone);
    Files.writeString(gone.resolve("comm"), "GC Thread#1\n");

    Map<String, Long> byKind = NativeThreadCpu.read(proc, 7, 100);
    assertThat(byKind)
        .containsEntry(NativeThreadCpu.JIT, 4_000_000_000L)
        .containsEntry(NativeThreadCpu.GC, 150_000_000L)
        .containsEntry(NativeThreadCpu.ROCKSDB, 100_000_000L)
        .containsEntry(NativeThreadCpu.JVM, 20_000_000L)
        .hasSize(4);
    assertThat(NativeThreadCpu.read(proc, 8, 100)).isEmpty(); // no such process
  }

  @Test
  void readsThisJvmsOwnServiceThreads() {
    // every HotSpot JVM has a VM Thread; on another OS /proc is absent and the map empty
    Map<String, Long> self = NativeThreadCpu.read(ProcessHandle.current().pid());
    if (Files.isDirectory(Path.of("/proc/self/task"))) {
      assertThat(self).containsKey(NativeThreadCpu.JVM);
      assertThat(self.values()).allMatch(ns -> ns >= 0);
    } else {
      assertThat(self).isEmpty();
    }
  }

  private static void task(Path proc, int pid, int tid, String comm, long utime, long stime)
      throws IOException {
    Path dir = proc.resolve(pid + "/task/" + tid);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("comm"), comm + "\n");
    Files.writeString(
        dir.resolve("stat"),
        tid
            + " ("
            + comm
            + ") S 1 "
            + pid
            + " "
            + pid
            + " 0 -1 4194368 10 0 0 0 "
            + utime
            + " "
            + stime
            + " 0 0 20 0 40 0 100\n");
  }
}
