package dev.agentledger.zk.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  @Test
  void aBusyThreadIsCountedUnderItsNameWithoutTheNumber() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc");
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    CountDownLatch busyDone = new CountDownLatch(1);
    CountDownLatch read = new CountDownLatch(1);
    long[] sink = new long[1];
    Thread t =
        new Thread(
            () -> {
              long start = mx.getCurrentThreadCpuTime();
              long x = 1;
              while (mx.getCurrentThreadCpuTime() - start < 200_000_000L) {
                for (int i = 0; i < 100_000; i++) {
                  x = x * 6364136223846793005L + 1442695040888963407L;
                }
              }
              sink[0] = x;
              busyDone.countDown();
              try {
                read.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "cpu-probe-17");
    t.start();
    busyDone.await();
    Map<String, Long> cpu = ThreadCpu.byName();
    read.countDown();
    t.join();
    // the kernel counts in clock ticks: 200 ms of CPU is at least 100 ms however they fall
    assertThat(cpu).containsKey("cpu-probe-");
    assertThat(cpu.get("cpu-probe-")).isBetween(100L, 60_000L);
    assertThat(cpu).doesNotContainKey("cpu-probe-17");
  }
}
