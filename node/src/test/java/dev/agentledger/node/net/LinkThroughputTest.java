package dev.agentledger.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.net.netty.IoKind;
import dev.agentledger.node.net.netty.NettyTransport;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a check of speed: pushes batches and small frames from validator 0 to
 * validator 1 over a real loopback link and prints throughput and the JVM's CPU time per megabyte.
 * It asserts only that every frame arrived. Run it alone; on a shared host compare runs made back
 * to back.
 */
@Tag("slow")
class LinkThroughputTest {
  static final int CHAIN = 11;

  static final class Counter implements TransportListener {
    final AtomicLong frames = new AtomicLong();
    volatile CountDownLatch done = new CountDownLatch(1);
    volatile long expected;

    @Override
    public void onPeerFrame(int peer, DirectBuffer buffer, int offset, int length) {
      if (frames.incrementAndGet() == expected) {
        done.countDown();
      }
    }

    @Override
    public void onClientFrame(long connection, DirectBuffer buffer, int offset, int length) {}
  }

  @Test
  void loopbackThroughput() throws Exception {
    int[] peerPorts = TestKeys.freePorts(2);
    int[] clientPorts = TestKeys.freePorts(2);
    Committee committee = TestKeys.committee(2, peerPorts, clientPorts);
    Counter sink = new Counter();
    Counter up = new Counter();
    NettyTransport[] t = new NettyTransport[2];
    for (int i = 0; i < 2; i++) {
      t[i] =
          new NettyTransport(
              new NettyTransport.Config(
                  "127.0.0.1",
                  peerPorts[i],
                  "127.0.0.1",
                  clientPorts[i],
                  IoKind.detect(),
                  2,
                  16 << 20),
              committee,
              i,
              CHAIN,
              TestKeys.key(i),
              i == 1 ? sink : up);
      t[i].start();
    }
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!t[0].isConnected(1) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      UnsafeBuffer batch =
          new UnsafeBuffer(new byte[Wire.HEADER_LENGTH + Wire.BATCH_RECORDS + 512 * Wire.RECORD]);
      int batchLength = Wire.batchHeader(batch, 0, 0, 1, new byte[32], 512);
      UnsafeBuffer ack = new UnsafeBuffer(new byte[128]);
      int ackLength = Wire.batchAck(ack, 0, 0, 1, new byte[32], 1, new byte[64]);
      System.out.println("link throughput, transport " + t[0].ioKind() + ":");
      for (int round = 0; round < 4; round++) {
        String label = round == 0 ? "warmup " : "round " + round;
        run(label + " batch(512 rec)", t[0], sink, batch, batchLength, 1_500);
        run(label + " ack(112 B)    ", t[0], sink, ack, ackLength, 300_000);
      }
    } finally {
      t[0].close();
      t[1].close();
    }
  }

  private static void run(
      String label, NettyTransport from, Counter sink, UnsafeBuffer frame, int length, int count)
      throws InterruptedException {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    sink.frames.set(0);
    sink.expected = count;
    sink.done = new CountDownLatch(1);
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    for (int i = 0; i < count; ) {
      if (from.sendToPeer(1, frame, 0, length)) {
        i++;
      } else {
        java.util.concurrent.locks.LockSupport.parkNanos(20_000);
      }
    }
    assertThat(sink.done.await(120, TimeUnit.SECONDS)).as("all %d frames arrived", count).isTrue();
    long wallNs = System.nanoTime() - t0;
    long cpuNs = os.getProcessCpuTime() - cpu0;
    double mb = (double) count * (length + 4) / 1e6;
    System.out.printf(
        "  %s: %8.1f MB/s %10.0f frames/s  cpu %6.2f ms/MB%n",
        label, mb / (wallNs / 1e9), count / (wallNs / 1e9), cpuNs / 1e6 / mb);
  }
}
