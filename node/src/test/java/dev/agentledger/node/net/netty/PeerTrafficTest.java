package dev.agentledger.node.net.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The link traffic counters at the socket end of a pipeline, on an {@link EmbeddedChannel}: reads,
 * writes, flushes and bytes as they pass, and the frames the transport reports handed over.
 */
class PeerTrafficTest {
  private static Map<String, Long> counts(PeerTraffic traffic) {
    Map<String, Long> out = new LinkedHashMap<>();
    traffic.forEach(out::put);
    return out;
  }

  private static ByteBuf bytes(int n) {
    return Unpooled.buffer(n).writerIndex(n);
  }

  @Test
  void countsSocketEventsAndBytesInBothDirections() {
    PeerTraffic traffic = new PeerTraffic();
    EmbeddedChannel channel = new EmbeddedChannel(traffic);

    channel.writeInbound(bytes(100));
    channel.writeInbound(bytes(28));
    channel.write(bytes(300));
    channel.write(bytes(12));
    channel.flush();
    channel.writeAndFlush(bytes(1));
    traffic.frameSent();
    traffic.frameSent();
    traffic.frameReceived();

    assertThat(counts(traffic))
        .containsExactly(
            Map.entry("framesSent", 2L),
            Map.entry("framesReceived", 1L),
            Map.entry("socketReads", 2L),
            Map.entry("bytesRead", 128L),
            Map.entry("socketFlushes", 2L),
            Map.entry("socketWrites", 3L),
            Map.entry("bytesWritten", 313L));
    // the counter passes everything on unchanged
    ByteBuf in = channel.readInbound();
    assertThat(in.readableBytes()).isEqualTo(100);
    in.release();
    ByteBuf out = channel.readOutbound();
    assertThat(out.readableBytes()).isEqualTo(300);
    out.release();
    channel.finishAndReleaseAll();
  }

  @Test
  void oneInstanceCountsEveryLink() {
    PeerTraffic traffic = new PeerTraffic();
    EmbeddedChannel a = new EmbeddedChannel(traffic);
    EmbeddedChannel b = new EmbeddedChannel(traffic);
    a.writeInbound(bytes(10));
    b.writeInbound(bytes(20));
    assertThat(counts(traffic)).containsEntry("socketReads", 2L).containsEntry("bytesRead", 30L);
    a.finishAndReleaseAll();
    b.finishAndReleaseAll();
  }
}
