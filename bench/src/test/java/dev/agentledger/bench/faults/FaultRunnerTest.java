package dev.agentledger.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultRunnerTest {
  @Test
  void commitsAreSplitIntoBeforeDuringAndAfterByTheSecondOfTheTimeline() {
    long[][] timeline = new long[12][];
    for (int s = 0; s < timeline.length; s++) {
      // {second, submitted, committed, rejected}
      timeline[s] = new long[] {s, 10, s + 1, 0};
    }
    // fault from 3 s to 6 s; the drain's seconds count as after
    long[] phases = FaultRunner.phases(timeline, 3_000_000_000L, 3_000_000_000L);
    assertThat(phases).containsExactly(1 + 2 + 3, 4 + 5 + 6, 7 + 8 + 9 + 10 + 11 + 12);
  }

  @Test
  void onlyTheNodesRejectionsCountAsExplicitOverload() {
    assertThat(
            FaultRunner.explicitOverload(
                Map.of(
                    "overloaded", 5L,
                    "overload_rate_limited", 2L,
                    "overload_client_queue", 100L,
                    "bad_nonce", 3L)))
        .isEqualTo(7);
    assertThat(FaultRunner.explicitOverload(Map.of("overload_client_queue", 100L))).isZero();
  }

  @Test
  void relayAttemptsAreSentAtOnce() throws Exception {
    // a server that closes the connections only once all of them are open at the same time: sent
    // one after the other, the first would wait out its 10 s and count as kept open
    int n = 20;
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> held = Collections.synchronizedList(new ArrayList<>());
      Thread acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (held.size() < n) {
                        held.add(server.accept());
                      }
                      for (Socket s : held) {
                        s.close();
                      }
                    } catch (java.io.IOException e) {
                      // the test fails on the count
                    }
                  });
      List<byte[]> attempts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        attempts.add(new byte[] {0, 0, 0, 1, (byte) i});
      }
      int closed =
          FaultRunner.closedByPeerAtOnce(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
              attempts);
      acceptor.join();
      assertThat(closed).isEqualTo(n);
    }
  }
}
