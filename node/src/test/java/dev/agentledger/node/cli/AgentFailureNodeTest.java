package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.idle.StageAgent;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.tx.AgentRunDescriptor;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code node run} fails stop when an agent dies of an {@link Error}: the execution agent of a real
 * single validator (RocksDB, Netty) throws an {@link OutOfMemoryError} injected through the run
 * command's agent decorator. While the node is still up, {@code /status} reports the failure; then
 * it prints one line naming the agent and the error, closes its ports and exits with 70.
 */
class AgentFailureNodeTest {
  @TempDir Path dir;

  /** The execution agent, throwing {@code error} from the first duty cycle after {@code fire}. */
  private record Failing(Agent agent, AtomicBoolean fire, Error error) implements Agent {
    @Override
    public void onStart() {
      agent.onStart();
    }

    @Override
    public int doWork() throws Exception {
      if (fire.get()) {
        throw error;
      }
      return agent.doWork();
    }

    @Override
    public void onClose() {
      agent.onClose();
    }

    @Override
    public String roleName() {
      return agent.roleName();
    }
  }

  @Test
  void anOutOfMemoryErrorInTheExecutionAgentStopsTheNodeWithExitCode70() throws Exception {
    Path data = dir.resolve("data");
    Path config = DiskFullNodeTest.writeSingleValidator(dir, data);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = AgentLedgerCli.commandLine(new ByteArrayInputStream(new byte[0]));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    NodeRunCommand run =
        (NodeRunCommand) cli.getSubcommands().get("node").getSubcommands().get("run").getCommand();
    AtomicBoolean fire = new AtomicBoolean();
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    run.agentDecorator =
        a ->
            a.roleName().startsWith("execution-")
                ? new StageAgent(new Failing(a.agent(), fire, oom), a.idle(), a.lane())
                : a;
    // The run loop samples free space before it looks for a failed agent: holding it there keeps
    // the node up (ports open) until the test has read /status.
    CountDownLatch statusRead = new CountDownLatch(1);
    run.freeSpace =
        d -> {
          if (fire.get()) {
            try {
              statusRead.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return 1L << 40;
        };
    CompletableFuture<Integer> status =
        CompletableFuture.supplyAsync(
            () ->
                cli.execute(
                    "node",
                    "run",
                    "--config",
                    config.toString(),
                    "--jit-warmup-ms",
                    "0",
                    "--threading",
                    "dedicated",
                    "--duration-s",
                    "300"));
    while (!out.toString().contains("agentledger node: validator")) {
      assertThat(status).as("node runs: %s", err).isNotDone();
      Thread.sleep(50);
    }
    String line =
        out.toString()
            .lines()
            .filter(l -> l.contains("agentledger node: validator"))
            .findFirst()
            .orElseThrow();
    InetSocketAddress client = address(line, "clients=");
    InetSocketAddress query = address(line, "query=http://");
    InetSocketAddress peers = address(line, "peers=");

    fire.set(true);
    HttpClient http = HttpClient.newHttpClient();
    URI statusUri = URI.create("http://127.0.0.1:" + query.getPort() + "/status");
    String json = "";
    while (!json.contains("\"agentFailure\"")) { // the worker rebuilds the status once a second
      assertThat(status).as("held up until /status is read: %s", err).isNotDone();
      Thread.sleep(100);
      json =
          http.send(HttpRequest.newBuilder(statusUri).build(), HttpResponse.BodyHandlers.ofString())
              .body();
    }
    assertThat(json)
        .contains("\"agentFailure\":{\"agent\":\"execution-0\"")
        .contains("\"failed\":\"java.lang.OutOfMemoryError: Java heap space\"")
        // RocksDB's memory and its bound (the default 128 MiB, half of it for memtables)
        .contains("\"memory\":{\"budgetBytes\":134217728,\"memtableBudgetBytes\":67108864,");
    // The node is still up (its run loop is held), and admits nothing more: a SUBMIT is refused
    // OVERLOADED at once (any other answer, here MALFORMED for a zero record, means admitted).
    try (AgentLedgerClient submitter =
        AgentLedgerClient.connect(client.getHostString(), client.getPort())) {
      assertThat(submitter.submit(List.of(new byte[AgentRunDescriptor.ENCODED_LENGTH])))
          .containsExactly(TxStatus.OVERLOADED);
    }
    statusRead.countDown();

    int exit = status.get(120, TimeUnit.SECONDS);
    String errText = err.toString();
    assertThat(exit).as(errText).isEqualTo(AgentLedgerCli.EXIT_AGENT_FAILURE).isEqualTo(70);
    assertThat(errText.lines().filter(l -> l.startsWith("agentledger node: agent ")).toList())
        .as(errText)
        .containsExactly(
            "agentledger node: agent execution-0 failed: java.lang.OutOfMemoryError: Java heap"
                + " space; stopping with exit code 70 (ports and store closed; restart the node)");
    assertThat(out.toString()).contains("agentledger node: stopping");
    for (InetSocketAddress port : new InetSocketAddress[] {client, query, peers}) {
      assertThatThrownBy(() -> new Socket(port.getAddress(), port.getPort()).close())
          .as("port %s closed", port)
          .isInstanceOf(ConnectException.class);
    }
    assertThat(data).as("the store stayed").isNotEmptyDirectory();
  }

  private static InetSocketAddress address(String line, String prefix) {
    Matcher m = Pattern.compile(Pattern.quote(prefix) + "[^0-9 ]*([0-9.]+):([0-9]+)").matcher(line);
    assertThat(m.find()).as("%s in %s", prefix, line).isTrue();
    return new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2)));
  }
}
