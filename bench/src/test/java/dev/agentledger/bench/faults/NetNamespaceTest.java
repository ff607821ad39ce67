package dev.agentledger.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real network namespaces (iproute2, root only): a process inside reaches the host end of the veth
 * pair, not once the link is cut, and again once healed; {@code close} leaves no namespace or link;
 * and what a run killed before its cleanup left behind is deleted by the next run's {@code
 * removeStale}, while a namespace whose owner lives is kept.
 */
@Tag("root")
class NetNamespaceTest {
  /** A base port of faults8's own range, so the names cannot clash with another run's. */
  private static final int BASE = 27_900;

  @Test
  void aProcessInsideReachesTheHostUntilTheLinkIsCutAndAgainAfterTheHeal() throws Exception {
    assumeTrue(NetNamespace.available(), "skipped: network namespaces need root and iproute2");
    try (NetNamespace ns = NetNamespace.create(BASE, 1);
        ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(ns.hostAddress(), 0));
      Thread acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!server.isClosed()) {
                      try {
                        server.accept().close();
                      } catch (java.io.IOException e) {
                        return;
                      }
                    }
                  });
      assertThat(connectFromInside(ns, server.getLocalPort())).isZero();
      ns.cut();
      assertThat(connectFromInside(ns, server.getLocalPort())).isNotZero();
      ns.heal();
      assertThat(connectFromInside(ns, server.getLocalPort())).isZero();
      server.close();
      acceptor.join();
    }
    assertThat(namespaces()).doesNotContain(NetNamespace.name(BASE, 1));
    assertThat(status("ip", "link", "show", NetNamespace.hostLink(BASE, 1))).isNotZero();
  }

  @Test
  void theNextRunDeletesWhatAKilledRunLeftAndKeepsWhatALiveOneOwns() throws Exception {
    assumeTrue(NetNamespace.available(), "skipped: network namespaces need root and iproute2");
    NetNamespace left = NetNamespace.create(BASE, 2);
    NetNamespace live = NetNamespace.create(BASE, 3);
    try {
      // the run that made 'left' was killed: its marker names a process that is gone
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      Files.writeString(
          NetNamespace.MARKERS.resolve(NetNamespace.name(BASE, 2)), Long.toString(gone.pid()));
      StringWriter out = new StringWriter();
      List<String> removed = NetNamespace.removeStale(new PrintWriter(out));
      assertThat(removed).contains(NetNamespace.name(BASE, 2));
      assertThat(removed).doesNotContain(NetNamespace.name(BASE, 3));
      assertThat(out.toString()).contains("removed namespace " + NetNamespace.name(BASE, 2));
      assertThat(namespaces())
          .doesNotContain(NetNamespace.name(BASE, 2))
          .contains(NetNamespace.name(BASE, 3));
      assertThat(status("ip", "link", "show", NetNamespace.hostLink(BASE, 2))).isNotZero();
      assertThat(status("ip", "link", "show", NetNamespace.hostLink(BASE, 3))).isZero();
    } finally {
      left.close();
      live.close();
    }
    assertThat(namespaces()).doesNotContain(NetNamespace.name(BASE, 3));
  }

  /** Exit status of a TCP connect from inside {@code ns} to the host end's {@code port}. */
  private static int connectFromInside(NetNamespace ns, int port) throws Exception {
    return status(
        ns.exec(
                List.of(
                    "timeout",
                    "3",
                    "bash",
                    "-c",
                    "exec 3<>/dev/tcp/" + ns.hostAddress().getHostAddress() + "/" + port))
            .toArray(String[]::new));
  }

  private static String namespaces() throws Exception {
    Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  private static int status(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }
}
