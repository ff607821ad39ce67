package dev.agentledger.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Crash safety: a child JVM ({@link CrashWriterMain}) writes synced atomic batches and prints an
 * acknowledgement after each; the test SIGKILLs it after a random number of acknowledgements (so
 * the kill lands mid-write at random points), reopens the store, and checks that every acknowledged
 * batch is complete and that no batch is partially visible. Repeated over several kill/restart
 * rounds on the same directory.
 */
class StorageCrashTest {
  @TempDir Path dir;

  @Test
  void acknowledgedBatchesSurviveSigkillAndNoBatchIsPartial() throws Exception {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    Path db = dir.resolve("crash-db");
    long highestAcked = -1;
    for (int round = 0; round < 4; round++) {
      int killAfter = 5 + random.nextInt(60);
      long acked = runAndKill(db, killAfter, random.nextInt(3));
      highestAcked = Math.max(highestAcked, acked);
      try (RocksDbStore store = RocksDbStore.open(db)) {
        String lastText = store.get(CrashWriterMain.META, "last");
        assertThat(lastText).as("seed %d round %d", seed, round).isNotNull();
        long last = Long.parseLong(lastText);
        assertThat(last)
            .as("seed %d: every acknowledged batch is durable", seed)
            .isGreaterThanOrEqualTo(highestAcked);
        for (long b = 0; b <= last + 1; b++) {
          int present = 0;
          for (int i = 0; i < CrashWriterMain.KEYS_PER_BATCH - 2; i++) {
            byte[] v = store.get(CrashWriterMain.BATCHES, CrashWriterMain.key(b, i));
            if (v != null) {
              assertThat(v).isEqualTo(CrashWriterMain.value(b, i));
              present++;
            }
          }
          if (store.get(CrashWriterMain.COMMITS, b) != null) {
            present++;
          }
          int expected = b <= last ? CrashWriterMain.KEYS_PER_BATCH - 2 + 1 : 0;
          assertThat(present)
              .as("seed %d: batch %d is all-or-nothing", seed, b)
              .isEqualTo(expected);
        }
      }
    }
  }

  /**
   * Starts the writer, waits for {@code killAfter} acks plus a short random spin, SIGKILLs; returns
   * the last ack.
   */
  private static long runAndKill(Path db, int killAfter, int extraSpinMs) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-Xshare:auto");
    cmd.add(CrashWriterMain.class.getName());
    cmd.add(db.toString());
    Process process =
        new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    long last = -1;
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
        }
      }
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(extraSpinMs);
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      // SIGKILL: no shutdown hooks, no RocksDB close. (Process.destroyForcibly would also close
      // our end of the pipe, losing acks already printed.)
      new ProcessBuilder("kill", "-KILL", Long.toString(process.pid()))
          .inheritIO()
          .start()
          .waitFor();
      process.waitFor(30, TimeUnit.SECONDS);
      // Acks printed before the kill but not yet read still count as acknowledged.
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
