package dev.agentledger.node.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.worker.core.WorkerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACCEPTED survives a kill -9 of the validator that said it: validator 0 runs in a JVM of its own
 * with a batch delay of an hour, so what it accepts stays in its mempool (and its ingress log);
 * right after the last ACCEPTED it is SIGKILLed, started again on its RocksDB directory, and every
 * accepted transaction is then ordered and executed by the cluster.
 */
@Tag("slow")
class DurableAcceptTest {
  private static final long WAIT_MS = 120_000;

  @TempDir Path dir;

  @Test
  void transactionsAcceptedRightBeforeAKill9AreExecutedAfterTheRestart() throws Exception {
    try (ExecutingCluster cluster = new ExecutingCluster(4, dir, 0)) {
      Process child =
          new ProcessBuilder(cluster.processCommand(0, 3_600_000))
              .redirectError(dir.resolve("v0.log").toFile())
              .start();
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
        String line = reader.readLine();
        assertThat(line).as("validator 0 process started").isEqualTo("ready");

        List<byte[]> ids = new ArrayList<>();
        try (AgentLedgerClient client = cluster.client(0)) {
          for (int frame = 0; frame < 3; frame++) {
            List<byte[]> records = new ArrayList<>();
            for (int k = 0; k < 20; k++) {
              records.add(RestartNonceTest.run(frame * 20L + k));
              ids.add(RestartNonceTest.id(records.getLast()));
            }
            assertThat(client.submit(records)).containsOnly(TxStatus.ACCEPTED);
          }
        }
        new ProcessBuilder("kill", "-KILL", Long.toString(child.pid()))
            .inheritIO()
            .start()
            .waitFor();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        // Nothing was sealed before the kill (the batch delay is an hour): without the ingress
        // log the 60 transactions would be gone.
        assertThat(cluster.awaitExecuted(1, ids, 500)).isZero();
        ValidatorNode restarted = cluster.start(0, WorkerConfig.defaults());
        assertThat(restarted.ingressLog()).isNotNull();
        assertThat(cluster.awaitExecuted(1, ids, WAIT_MS)).isEqualTo(ids.size());
        assertThat(cluster.awaitExecuted(0, ids, WAIT_MS)).isEqualTo(ids.size());
      } finally {
        child.destroyForcibly();
      }
    }
  }
}
