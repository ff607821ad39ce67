package dev.agentledger.bench.loadgen.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.cli.AgentLedgerCli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentledger submit} against a real (in-process) cluster: it goes through the same {@link
 * dev.agentledger.node.client.ClusterSubmitter} as {@link ClusterTarget}, and keeps its output
 * lines and exit status.
 */
class SubmitCommandClusterTest {
  @TempDir Path dir;

  record Result(int status, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        AgentLedgerCli.execute(
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out),
            new PrintWriter(err),
            args);
    return new Result(status, out.toString(), err.toString());
  }

  private List<String> configs(Path cluster, int validators) {
    List<String> args = new ArrayList<>();
    for (int i = 0; i < validators; i++) {
      args.add("--config");
      args.add(cluster.resolve("v" + i).resolve("node.yaml").toString());
    }
    return args;
  }

  @Test
  void generatedRunsAreAcceptedAndCommitted() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(dir.resolve("c"), 4, 1)) {
      List<String> args = new ArrayList<>(List.of("submit"));
      args.addAll(configs(cluster.dir, 4));
      args.addAll(
          List.of(
              "--generate",
              "300",
              "--agents",
              "8",
              "--frame",
              "16",
              "--window",
              "4",
              "--wait-committed",
              "--wait-certified",
              "--timeout-s",
              "60"));
      Result r = run(args.toArray(String[]::new));
      assertThat(r.status()).as(r.out() + r.err()).isZero();
      List<String> lines = r.out().lines().toList();
      assertThat(lines).hasSize(4);
      assertThat(lines.get(0))
          .matches(
              "submitted 300 runs to 4 validator\\(s\\) in [0-9.]+ s \\([0-9]+ tx/s\\): \\{ACCEPTED=300}");
      assertThat(lines.get(1))
          .matches(
              "committed 300 runs \\(seen on 127\\.0\\.0\\.1:[0-9]+\\) [0-9.]+ s after the first send: [0-9]+ tx/s;"
                  + " submit-to-commit latency p50 [0-9.]+ ms, p99 [0-9.]+ ms, max [0-9.]+ ms \\(poll every 5 ms\\)");
      // the in-process cluster executes and serves the query API: each run's receipt code is read
      // (the generated agents are not in the genesis, so no run executes OK)
      assertThat(lines.get(2))
          .startsWith("receipts: {")
          .contains("NOT_AN_AGENT")
          .doesNotContain("OK=");
      assertThat(lines.get(3))
          .matches(
              "certified 300 accepted runs on all 4 validator\\(s\\) [0-9.]+ s after the first send: [0-9]+ tx/s ingress-to-certified");
    }
  }

  @Test
  void fileRunsPrintOneStatusLineEachAndAWrongShardExitsOne() throws Exception {
    try (InProcessCluster cluster = new InProcessCluster(dir.resolve("c"), 4, 1)) {
      String seed = "\"seed\": \"" + "42".repeat(32) + "\"";
      Path runs = dir.resolve("runs.jsonl");
      Files.writeString(
          runs,
          "{\"nonce\": 0, "
              + seed
              + "}\n{\"nonce\": 1, "
              + seed
              + ", \"outcome\": \"failure\"}\n{\"nonce\": 2, "
              + seed
              + ", \"shard_hint\": 5}\n");
      List<String> args = new ArrayList<>(List.of("submit"));
      args.addAll(configs(cluster.dir, 2));
      args.addAll(List.of("--file", runs.toString(), "--no-wait"));
      Result r = run(args.toArray(String[]::new));
      List<String> lines = r.out().lines().toList();
      assertThat(lines).as(r.out() + r.err()).hasSize(4);
      assertThat(lines.get(0)).matches("1 [0-9a-f]{64} ACCEPTED");
      assertThat(lines.get(1)).matches("2 [0-9a-f]{64} ACCEPTED");
      assertThat(lines.get(2)).matches("3 [0-9a-f]{64} WRONG_SHARD");
      assertThat(lines.get(3)).startsWith("submitted 3 runs to 2 validator(s) in ");
      assertThat(r.status()).isEqualTo(1);
    }
  }

  @Test
  void byDefaultSubmitWaitsForEachCommitAndPrintsItsReceiptFromTheQueryApi() throws Exception {
    List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer query =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    // a stand-in for a validator's query API: every asked id gets an OK receipt
    query.createContext(
        "/v1/transactions/",
        exchange -> {
          String id = exchange.getRequestURI().getPath().substring("/v1/transactions/".length());
          asked.add(id);
          byte[] body =
              ("{\"txId\":\""
                      + id
                      + "\",\"commit\":5,\"index\":0,\"receipt\":{\"code\":\"OK\","
                      + "\"reason\":\"\",\"fee\":1234}}")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    query.start();
    try (InProcessCluster cluster = new InProcessCluster(dir.resolve("c"), 4, 1)) {
      String seed = "\"seed\": \"" + "43".repeat(32) + "\"";
      Path runs = dir.resolve("runs.jsonl");
      Files.writeString(
          runs,
          "{\"nonce\": 0, " + seed + "}\n{\"nonce\": 1, " + seed + ", \"input_tokens\": 9}\n");
      List<String> args = new ArrayList<>(List.of("submit"));
      args.addAll(configs(cluster.dir, 4));
      args.addAll(
          List.of(
              "--file",
              runs.toString(),
              "--query-address",
              "127.0.0.1:" + query.getAddress().getPort(),
              "--timeout-s",
              "60"));
      Result r = run(args.toArray(String[]::new));
      assertThat(r.status()).as(r.out() + r.err()).isZero();
      List<String> lines = r.out().lines().toList();
      assertThat(lines).as(r.out()).hasSize(5);
      String first = lines.get(0).split(" ")[1];
      String second = lines.get(1).split(" ")[1];
      assertThat(lines.get(0)).isEqualTo("1 " + first + " ACCEPTED");
      assertThat(lines.get(2)).startsWith("submitted 2 runs to 4 validator(s) in ");
      assertThat(lines.get(3)).isEqualTo("receipt 1 " + first + " OK fee 1234 commit 5");
      assertThat(lines.get(4)).isEqualTo("receipt 2 " + second + " OK fee 1234 commit 5");
      assertThat(asked).containsExactly(first, second);
    } finally {
      query.stop(0);
    }
  }
}
