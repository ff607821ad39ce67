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
}
