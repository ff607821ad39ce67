package dev.agentledger.bench.loadgen.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentledger.bench.loadgen.PresignedPool;
import dev.agentledger.bench.loadgen.RunContents;
import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.execution.core.ExecutionCode;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit feed of four real validators in this JVM (Netty, consensus, execution): receipts of
 * submitted runs arrive on the client port and as Server-Sent Events read by the JDK's plain HTTP
 * client, from a commit sequence on, for every agent or for one.
 */
class CommitFeedClusterTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** A commit event of the SSE stream: its id and its receipts (tx hex to code). */
  private record SseCommit(long id, long sequence, Map<String, String> receipts) {}

  @Test
  @Timeout(180)
  void receiptsArriveOnTheClientPortAndAsServerSentEventsAndResumeFromASequence() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(dir.resolve("c"), 4, 8)) {
      ClusterDir clusterDir = ClusterDir.read(dir.resolve("c"));
      RunContents contents =
          RunContents.defaults().withAgents(8).withChainId(clusterDir.chainId()).withSeed(3);
      PresignedPool pool = PresignedPool.build(contents, 120, 2, clusterDir.agents()::key);
      List<byte[]> records = new ArrayList<>();
      Map<String, String> agentOf = new HashMap<>();
      AgentRunFlyweight run = new AgentRunFlyweight();
      for (int i = 0; i < pool.size(); i++) {
        byte[] r = new byte[AgentRunDescriptor.ENCODED_LENGTH];
        pool.buffer().getBytes(pool.offsetOf(i), r);
        records.add(r);
        run.wrap(pool.buffer(), pool.offsetOf(i));
        byte[] agent = new byte[32];
        pool.buffer().getBytes(pool.offsetOf(i) + AgentRunDescriptor.AGENT_OFFSET, agent);
        agentOf.put(HEX.formatHex(run.transactionId()), HEX.formatHex(agent));
      }
      InetSocketAddress v0 = clusterDir.clients().get(0);
      try (AgentLedgerClient feed = AgentLedgerClient.connect(v0.getHostString(), v0.getPort());
          AgentLedgerClient submit = AgentLedgerClient.connect(v0.getHostString(), v0.getPort())) {
        long after = feed.subscribe(0, List.of());
        assertThat(submit.submit(records)).containsOnly(TxStatus.ACCEPTED);

        // Client port: every run's receipt, in commit order, each commit closed by a LAST frame.
        Map<String, Long> committedAt = new LinkedHashMap<>();
        long previous = after;
        boolean open = false;
        while (committedAt.size() < records.size()) {
          AgentLedgerClient.FeedBatch batch = feed.readFeed();
          assertThat(batch.sequence()).isEqualTo(open ? previous : previous + 1);
          for (int i = 0; i < batch.count(); i++) {
            assertThat(batch.codes()[i]).isEqualTo(ExecutionCode.OK.code());
            committedAt.put(HEX.formatHex(batch.txId(i)), batch.sequence());
          }
          previous = batch.sequence();
          open = !batch.last();
        }
        assertThat(committedAt.keySet()).isEqualTo(agentOf.keySet());
        long first = committedAt.values().stream().min(Long::compare).orElseThrow();
        long last = committedAt.values().stream().max(Long::compare).orElseThrow();

        // SSE from commit 1 on another validator: the same receipts in the same commits, ids with
        // no gap.
        InetSocketAddress q1 = cluster.queryAddress(1);
        List<SseCommit> events = readSse(q1, "/v1/feed?from=1", null, last);
        for (int i = 0; i < events.size(); i++) {
          assertThat(events.get(i).id()).isEqualTo(i + 1);
          assertThat(events.get(i).sequence()).isEqualTo(i + 1);
        }
        Map<String, Long> sseCommitted = new HashMap<>();
        events.forEach(
            e ->
                e.receipts()
                    .forEach(
                        (tx, code) -> {
                          assertThat(code).isEqualTo("OK");
                          sseCommitted.put(tx, e.sequence());
                        }));
        assertThat(sseCommitted).isEqualTo(committedAt);

        // Resume after a sequence: Last-Event-ID on SSE, a from sequence on the client port.
        List<SseCommit> resumed =
            readSse(cluster.queryAddress(2), "/v1/feed", Long.toString(first - 1), last);
        assertThat(resumed.getFirst().id()).isEqualTo(first);
        InetSocketAddress v3 = clusterDir.clients().get(3);
        try (AgentLedgerClient again =
            AgentLedgerClient.connect(v3.getHostString(), v3.getPort())) {
          assertThat(again.subscribe(first, List.of())).isEqualTo(first - 1);
          AgentLedgerClient.FeedBatch batch = again.readFeed();
          assertThat(batch.sequence()).isEqualTo(first);
          assertThat(committedAt).containsEntry(HEX.formatHex(batch.txId(0)), first);
        }

        // One agent's receipts only, on both transports.
        String agent = agentOf.values().iterator().next();
        Set<String> itsRuns = new java.util.HashSet<>();
        agentOf.forEach(
            (tx, a) -> {
              if (a.equals(agent)) {
                itsRuns.add(tx);
              }
            });
        try (AgentLedgerClient filtered =
            AgentLedgerClient.connect(v3.getHostString(), v3.getPort())) {
          filtered.subscribe(1, List.of(HEX.parseHex(agent)));
          Set<String> seen = new java.util.HashSet<>();
          for (long s = 0; s < last; ) {
            AgentLedgerClient.FeedBatch batch = filtered.readFeed();
            for (int i = 0; i < batch.count(); i++) {
              seen.add(HEX.formatHex(batch.txId(i)));
            }
            s = batch.last() ? batch.sequence() : s;
          }
          assertThat(seen).isEqualTo(itsRuns);
        }
        Set<String> sseSeen = new java.util.HashSet<>();
        readSse(q1, "/v1/feed?from=1&agent=" + agent, null, last)
            .forEach(e -> sseSeen.addAll(e.receipts().keySet()));
        assertThat(sseSeen).isEqualTo(itsRuns);
      }
    }
  }

  /** Reads the SSE stream at {@code path} until commit {@code through}; parses each event. */
  private static List<SseCommit> readSse(
      InetSocketAddress query, String path, String lastEventId, long through)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://" + query.getHostString() + ":" + query.getPort() + path))
            .GET();
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<Stream<String>> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    List<SseCommit> commits = new ArrayList<>();
    try (Stream<String> lines = response.body()) {
      Iterator<String> it = lines.iterator();
      String event = null;
      long id = -1;
      boolean subscribed = false;
      while (it.hasNext()) {
        String line = it.next();
        if (line.startsWith("id: ")) {
          id = Long.parseLong(line.substring(4));
        } else if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          JsonNode data = JSON.readTree(line.substring(6));
          if ("subscribed".equals(event)) {
            subscribed = true;
          } else {
            assertThat(event).isEqualTo("commit");
            assertThat(subscribed).as("subscribed event first").isTrue();
            Map<String, String> receipts = new LinkedHashMap<>();
            for (JsonNode r : data.path("receipts")) {
              receipts.put(r.path("tx").asText(), r.path("code").asText());
            }
            commits.add(new SseCommit(id, data.path("sequence").asLong(), receipts));
            if (data.path("sequence").asLong() >= through) {
              return commits;
            }
          }
        }
      }
    }
    throw new IOException("the event stream ended before commit " + through);
  }
}
