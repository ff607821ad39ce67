package dev.agentledger.node.execution;

import dev.agentledger.node.commit.CommitSignature;
import dev.agentledger.node.events.EventLog;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.metrics.MetricsRegistry;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Child process of {@link ExecutionCrashTest}: a durable execution stage on RocksDB that resumes
 * where the store stops, executes the deterministic stream {@code DeterminismTest.stream(seed,
 * commits)}, certifies each commit with the other three validators, and prints {@code ack N} once
 * commit N's write returned. Retains {@link ExecutionCrashTest#RETAINED_VERSIONS} state versions,
 * so pruning deletes ride in the commits' batches, and checkpoints its values every {@link
 * ExecutionCrashTest#CHECKPOINT_VERSIONS} commits. Runs until killed.
 */
public final class ExecutionCrashWriterMain {
  private ExecutionCrashWriterMain() {}

  public static void main(String[] args) throws InterruptedException {
    Path dir = Path.of(args[0]);
    List<CommittedInput> stream =
        DeterminismTest.stream(Long.parseLong(args[1]), Integer.parseInt(args[2]));
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      ExecutionStage stage =
          ExecutionStage.durable(
              LedgerFixture.genesis(),
              store,
              ExecutionCrashTest.STATE_SETTINGS,
              LedgerHarness.COMMITTEE,
              LedgerHarness.VALIDATORS[0],
              new EventLog(),
              new MetricsRegistry(),
              true,
              System::nanoTime);
      out.println("ready " + stage.lastSequence());
      for (CommittedInput input : stream.subList((int) stage.lastSequence(), stream.size())) {
        stage.execute(input);
        byte[] hash = stage.queryStore().commit(input.sequence()).orElseThrow().hash();
        for (int v = 1; v <= 3; v++) {
          stage.addSignature(
              input.sequence(), CommitSignature.sign(LedgerHarness.VALIDATORS[v], hash));
        }
        out.println("ack " + input.sequence());
      }
      out.println("done");
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
