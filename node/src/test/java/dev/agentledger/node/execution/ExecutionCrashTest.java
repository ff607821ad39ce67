package dev.agentledger.node.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.events.EventLog;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.metrics.MetricsRegistry;
import dev.agentledger.node.query.QueryStore;
import dev.agentledger.node.query.StoredCommit;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash atomicity of durable execution: a child JVM ({@link ExecutionCrashWriterMain}) executes
 * commits on RocksDB and is SIGKILLed at a random point (often inside a commit's write). On reopen,
 * the state's last commit sequence, the query store's latest commit and the state root name the
 * same commit, at or after the last acknowledged one, with the hash and root of an uninterrupted
 * in-memory run; nothing of the next commit is visible; the retained state versions before it are
 * rebuilt and prove against the uninterrupted run's roots (the writer retains few, so its commits'
 * batches also carry pruning deletes, and checkpoints its values every few commits, so the state
 * comes back from a checkpoint plus the log records after it; its state cache holds two pages, so
 * pages go out to the store and back in every commit). Repeated over kill/restart rounds on one
 * directory, then finished in-process to the uninterrupted run's final root.
 */
class ExecutionCrashTest {
  private static final long STREAM_SEED = 77;
  private static final int COMMITS = 200;

  /** State versions the writer retains: small, so every commit's batch also prunes. */
  static final int RETAINED_VERSIONS = 4;

  /**
   * State values checkpointed every few commits: kills land before, at and after checkpoints, so
   * reopening redoes log records after a checkpoint that may sit inside or before the retained
   * versions.
   */
  static final int CHECKPOINT_VERSIONS = 3;

  /**
   * The state's page cache in the writer and on reopen: two pages, so every commit pages the state
   * out to the store and back while the kill may land.
   */
  static final long STATE_CACHE_BYTES = 2L * dev.agentledger.hash.smt.PageCache.PAGE_BYTES;

  /** The writer's and the reopening stage's state settings: the three above. */
  static final ExecutionStage.StateSettings STATE_SETTINGS =
      ExecutionStage.StateSettings.DEFAULTS
          .withRetainVersions(RETAINED_VERSIONS)
          .withCheckpointVersions(CHECKPOINT_VERSIONS)
          .withStateCacheBytes(STATE_CACHE_BYTES);

  @TempDir Path dir;

  @Test
  void afterSigkillStateAndQueryStoreEndAtTheSameWholeCommit() throws Exception {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    List<CommittedInput> stream = DeterminismTest.stream(STREAM_SEED, COMMITS);
    LedgerHarness reference = new LedgerHarness();
    for (CommittedInput input : stream) {
      reference.stage.execute(input);
    }
    Path db = dir.resolve("execution-db");
    long highestAcked = 0;
    for (int round = 0; round < 3; round++) {
      long acked = runAndKill(db, 3 + random.nextInt(25), random.nextInt(3));
      highestAcked = Math.max(highestAcked, acked);
      try (RocksDbStore store = RocksDbStore.open(db)) {
        ExecutionStage stage = open(store); // refuses to open a store whose parts disagree
        long last = stage.lastSequence();
        String where = "seed " + seed + " round " + round + " last " + last;
        assertThat(last)
            .as(where + ": every acknowledged commit is durable")
            .isGreaterThanOrEqualTo(highestAcked);
        QueryStore queries = stage.queryStore();
        assertThat(queries.latestSequence()).as(where).isEqualTo(last);
        StoredCommit commit = queries.commit(last).orElseThrow();
        StoredCommit expected = reference.store.commit(last).orElseThrow();
        assertThat(commit.hash()).as(where).isEqualTo(expected.hash());
        assertThat(stage.stateRoot()).as(where).isEqualTo(expected.record().stateRoot());
        assertThat(queries.commit(last + 1)).as(where).isEmpty();
        // The retained versions were rebuilt from the stored before-images: their proofs verify
        // against the uninterrupted run's roots.
        byte[] key =
            dev.agentledger.node.execution.core.StateKeys.account(LedgerFixture.AGENT.publicKey());
        for (long s = Math.max(1, last - RETAINED_VERSIONS + 1); s <= last; s++) {
          StoredCommit kept = queries.commit(s).orElseThrow();
          byte[] root = reference.store.commit(s).orElseThrow().record().stateRoot();
          assertThat(kept.state().root()).as(where + " commit " + s).isEqualTo(root);
          assertThat(kept.state().prove(key).verify(root, kept.state().get(key)))
              .as(where + " commit " + s)
              .isTrue();
        }
        if (last < COMMITS) {
          for (byte[] id : reference.store.commit(last + 1).orElseThrow().txIds()) {
            if (reference.store.locate(id).orElseThrow().sequence() == last + 1) {
              assertThat(queries.locate(id))
                  .as(where + ": no index entry of the lost commit")
                  .isEmpty();
            }
          }
        }
        highestAcked = last;
      }
    }
    try (RocksDbStore store = RocksDbStore.open(db)) {
      ExecutionStage stage = open(store);
      for (CommittedInput input : stream.subList((int) stage.lastSequence(), stream.size())) {
        stage.execute(input);
      }
      assertThat(stage.stateRoot()).isEqualTo(reference.stage.stateRoot());
      for (long s = 1; s <= COMMITS; s++) {
        assertThat(stage.queryStore().commit(s).orElseThrow().hash())
            .isEqualTo(reference.store.commit(s).orElseThrow().hash());
      }
    }
  }

  private static ExecutionStage open(RocksDbStore store) {
    return ExecutionStage.durable(
        LedgerFixture.genesis(),
        store,
        STATE_SETTINGS,
        LedgerHarness.COMMITTEE,
        LedgerHarness.VALIDATORS[0],
        new EventLog(),
        new MetricsRegistry(),
        true,
        System::nanoTime);
  }

  /**
   * Starts the writer, waits for {@code killAfter} acks plus a short spin, SIGKILLs; returns the
   * last ack.
   */
  private static long runAndKill(Path db, int killAfter, int extraSpinMs) throws Exception {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    // The flags every JVM of the project needs (Vector API, FFM, Agrona), as this JVM got them.
    for (String flag :
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (flag.startsWith("--add-")
          || flag.startsWith("--enable-native-access")
          || flag.startsWith("--sun-misc")) {
        cmd.add(flag);
      }
    }
    cmd.add("-Xshare:auto");
    cmd.add(ExecutionCrashWriterMain.class.getName());
    cmd.add(db.toString());
    cmd.add(Long.toString(STREAM_SEED));
    cmd.add(Integer.toString(COMMITS));
    Process process =
        new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    long last = 0;
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
      int acks = 0;
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("ack ")) {
          last = Long.parseLong(line.substring(4));
          if (++acks >= killAfter) {
            break;
          }
        } else if (line.equals("done")) {
          break;
        }
      }
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(extraSpinMs);
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      new ProcessBuilder("kill", "-KILL", Long.toString(process.pid()))
          .inheritIO()
          .start()
          .waitFor();
      process.waitFor(30, TimeUnit.SECONDS);
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("ack ")) {
          last = Long.parseLong(line.substring(4));
        }
      }
    }
    assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    return last;
  }
}
