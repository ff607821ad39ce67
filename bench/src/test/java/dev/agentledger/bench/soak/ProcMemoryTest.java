package dev.agentledger.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcMemoryTest {
  private static final String JSTAT_GC =
      """
       S0C         S1C         S0U         S1U          EC           EU           OC           OU          MC         MU       CCSC      CCSU     YGC     YGCT     FGC    FGCT     CGC    CGCT       GCT
             0.0     4096.0         0.0     4096.0     98304.0      12288.0     421888.0     203456.5    33024.0    32512.3   3840.0    3612.1     27     0.123     0     0.000     8     0.010     0.133
      """;

  @Test
  void heapUsedIsSurvivorsEdenAndOld() {
    assertThat(ProcMemory.parseJstatGc(JSTAT_GC))
        .isEqualTo((long) ((0.0 + 4096.0 + 12288.0 + 203456.5) * 1024));
  }

  @Test
  void jstatOutputWithoutTheColumnsIsRefused() {
    assertThatThrownBy(() -> ProcMemory.parseJstatGc("12345 not found"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcMemory.parseJstatGc("A B\n1 2"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesProcStatusKib() {
    assertThat(ProcMemory.parseKib("\t  123456 kB")).isEqualTo(123456);
    assertThatThrownBy(() -> ProcMemory.parseKib(" 12 MB"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsThisJvmsRssAndHeapAndMinusOneForNoProcess() {
    long pid = ProcessHandle.current().pid();
    assertThat(ProcMemory.rssBytes(pid)).isGreaterThan(1L << 20);
    assertThat(ProcMemory.heapUsedBytes(pid)).isPositive();
    assertThat(ProcMemory.rssBytes(Long.MAX_VALUE)).isEqualTo(-1);
    assertThat(ProcMemory.heapUsedBytes(Long.MAX_VALUE)).isEqualTo(-1);
  }

  private static final String SMAPS =
      """
      55d4a8a00000-55d4a8c21000 rw-p 00000000 00:00 0                          [heap]
      Size:               2180 kB
      Rss:                1500 kB
      7f1c00000000-7f1c02a00000 rw-p 00000000 00:00 0
      Size:              43008 kB
      Rss:               40000 kB
      7f1c02a00000-7f1c04000000 ---p 00000000 00:00 0
      Size:              22528 kB
      Rss:                   0 kB
      7f1c08000000-7f1c0c000000 rw-p 00000000 00:00 0
      Size:              65536 kB
      Rss:               30000 kB
      7f1c10000000-7f1c10100000 rw-p 00000000 00:00 0
      Size:               1024 kB
      Rss:                1024 kB
      7f1c14000000-7f1c14021000 rw-p 00000000 fd:01 1234                       /usr/lib/x.so
      Size:                132 kB
      Rss:                 132 kB
      VmFlags: rd wr mr mw me ac sd
      """;

  @Test
  void mallocHeapsAreSixtyFourMibAlignedAnonymousRegionsPlusTheMainArena() {
    ProcMemory.MallocHeaps heaps = ProcMemory.parseMallocHeaps(SMAPS);
    // a partly used heap (rw + ---p rest = 64 MiB) and a full one; the aligned 1 MiB mapping is
    // no heap (it spans 1 MiB), nor is the file mapping
    assertThat(heaps.count()).isEqualTo(2);
    assertThat(heaps.rssBytes()).isEqualTo((1500L + 40000 + 30000) * 1024);
  }

  @Test
  void readsThisProcessesMallocHeapsAndStatusFields() {
    long pid = ProcessHandle.current().pid();
    assertThat(ProcMemory.mallocHeaps(pid)).isNotNull();
    long[] fields = ProcMemory.statusFields(pid, "RssAnon", "RssFile", "NoSuchField");
    assertThat(fields[0]).isPositive();
    assertThat(fields[1]).isPositive();
    assertThat(fields[2]).isEqualTo(-1);
    assertThat(ProcMemory.mallocHeaps(Long.MAX_VALUE)).isNull();
  }

  private static final String NMT =
      """
      12345:

      Native Memory Tracking:

      Total: reserved=7737612KB, committed=479468KB
             malloc: 13720KB #47187, peak=18083KB #43773

      -                 Java Heap (reserved=6172672KB, committed=393216KB)
                                  (mmap: reserved=6172672KB, committed=393216KB, at peak)

      -                     Other (reserved=10KB, committed=10KB)
                                  (malloc=10KB tag=Other #2) (at peak)
      -    Native Memory Tracking (reserved=842KB, committed=842KB)
      """;

  @Test
  void nativeMemorySummaryGivesCommittedBytesPerCategory() {
    var nmt = ProcMemory.parseNativeMemory(NMT);
    assertThat(nmt)
        .containsEntry("Total", 479468L * 1024)
        .containsEntry("Java Heap", 393216L * 1024)
        .containsEntry("Other", 10L * 1024)
        .containsEntry("Native Memory Tracking", 842L * 1024)
        .hasSize(4);
  }

  @Test
  void readsTheNativeMemoryOfAJvmWithTrackingAndNothingWithout() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process tracked =
        new ProcessBuilder(
                java,
                "-XX:NativeMemoryTracking=summary",
                "-cp",
                System.getProperty("java.class.path"),
                Sleeper.class.getName())
            .redirectErrorStream(true)
            .start();
    try {
      // the child prints once it runs, so the attach finds a started JVM
      assertThat(tracked.getInputStream().read()).isNotEqualTo(-1);
      var nmt = ProcMemory.nativeMemory(tracked.pid());
      assertThat(nmt).isNotNull().containsKeys("Total", "Java Heap", "Code", "Thread");
      assertThat(nmt.get("Total")).isGreaterThan(nmt.get("Java Heap"));
      // this JVM runs without tracking
      assertThat(ProcMemory.nativeMemory(ProcessHandle.current().pid())).isNull();
    } finally {
      tracked.destroyForcibly();
      tracked.waitFor();
    }
  }

  /** A JVM that says it started, then waits to be killed. */
  public static final class Sleeper {
    public static void main(String[] args) throws InterruptedException {
      System.out.println("started");
      System.out.flush();
      Thread.sleep(120_000);
    }
  }
}
