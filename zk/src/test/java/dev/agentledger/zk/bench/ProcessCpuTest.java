package dev.agentledger.zk.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
  @Test
  void onLinuxTheKernelClockIsRead() {
    assumeTrue(System.getProperty("os.name", "").toLowerCase().startsWith("linux"), "not Linux");
    assertThat(ProcessCpu.precise()).isTrue();
  }

  /**
   * The process's CPU time includes this thread's, to the nanosecond: a reading in 10 ms ticks (the
   * management API's on Linux) falls short of the thread's own time by up to a tick.
   */
  @Test
  void theProcessCountsAtLeastTheCpuOfThisThread() {
    assumeTrue(ProcessCpu.precise(), "no kernel clock");
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long x = 1;
    for (int round = 0; round < 20; round++) {
      long p0 = ProcessCpu.nanos();
      long t0 = mx.getCurrentThreadCpuTime();
      // 3 ms of this thread's CPU: a tick-based reading would often show 0 or 10 ms
      while (mx.getCurrentThreadCpuTime() - t0 < 3_000_000L) {
        for (int i = 0; i < 1000; i++) {
          x = x * 6364136223846793005L + 1442695040888963407L;
        }
      }
      long t1 = mx.getCurrentThreadCpuTime();
      long p1 = ProcessCpu.nanos();
      assertThat(p1 - p0).isGreaterThanOrEqualTo(t1 - t0);
    }
    assertThat(x).isNotZero();
  }
}
