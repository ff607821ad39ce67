package dev.agentledger.node.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.ingress.CounterModeRandom;
import dev.agentledger.node.storage.Column;
import dev.agentledger.node.storage.ColumnFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up's passes run real signatures and hashing, each verdict checked as it goes; its cap is
 * validated and 0 disables it.
 */
class JitWarmupTest {
  @Test
  void theConsensusStepHoldsItsSafetyInvariantsOnEverySeedOfAStart() {
    // Passes take the warm-up round as their seed; a start runs a few dozen of them.
    for (long seed = 0; seed < 48; seed++) {
      var sim = JitWarmup.consensusPass(seed);
      assertThat(sim.violation()).as("seed %d", seed).isNull();
    }
  }

  @Test
  void eachPassVerifiesEverySignatureItMadeAndHashesTheCommitShapes() {
    JitWarmup.Result result = JitWarmup.iterations(5);
    assertThat(result.iterations()).isEqualTo(5);
    // AgentRun batches of 256, 8, 1,024, 64 and 1 records, plus three certificate and three
    // consensus signatures a pass
    assertThat(result.signaturesVerified()).isEqualTo((1 + 8 + 64 + 256 + 1024) + 5 * 6);
    // a pass hashes its batch size as leaves, as receipts and half of it as interior nodes
    assertThat(result.hashes()).isEqualTo(2 * 1353 + (0 + 4 + 32 + 128 + 512));
    // the execution stage executes a commit of the pass's batch size, the primaries commit
    assertThat(result.runsExecuted()).isEqualTo(1353);
    assertThat(result.consensusCommits()).isPositive();
  }

  @Test
  void theExecutionStageRunsEveryRunOnADurableStoreThatIsDeletedAtTheEnd() {
    Path directory;
    try (JitWarmup warm = new JitWarmup()) {
      for (int step = 0; step < 7 * 5; step++) { // five passes: batches of 256, 8, 1,024, 64, 1
        warm.step();
      }
      directory = warm.stageDirectory();
      assertThat(directory).isDirectory();
      assertThat(directory.resolve("CURRENT")).exists(); // RocksDB's
      assertThat(directory.getFileName().toString())
          .startsWith(JitWarmup.SCRATCH_PREFIX + ProcessHandle.current().pid() + "-");
      long issued = 0;
      for (int a = 0; a < 16; a++) {
        // every run succeeded: the state expects the nonce after the last one issued
        assertThat(warm.nextNonce(a)).isEqualTo(warm.issuedNonces(a));
        issued += warm.issuedNonces(a);
      }
      assertThat(issued).isEqualTo(1353);
    }
    assertThat(directory).doesNotExist();
  }

  @Test
  void theBatchVerifiersRandomnessIsDrawnPastItsReseedBeforeAnyBatch() {
    try (JitWarmup warm = new JitWarmup()) {
      assertThat(warm.randomBytesDrawn())
          .isGreaterThan(CounterModeRandom.DEFAULT_RESEED_BLOCKS * 64)
          .isGreaterThanOrEqualTo(JitWarmup.RESEED_DRAW_BYTES);
    }
  }

  @Test
  void theExecutionStepsStatePagesOutAndReadsBackPages() {
    try (JitWarmup warm = new JitWarmup()) {
      for (int step = 0; step < 7 * 5; step++) { // five passes, 1,353 runs
        warm.step();
      }
      // pages evicted dirty are written to state_pages: more of them than the bound holds in memory
      long[] paged = new long[1];
      warm.stageStore()
          .scan(
              Column.raw(ColumnFamily.STATE_PAGES),
              new byte[0],
              (key, value) -> {
                paged[0]++;
                return true;
              });
      assertThat(paged[0]).isGreaterThan(JitWarmup.STATE_CACHE_BYTES / (16 * 1024));
      // and every run still executed against the state it read back
      for (int a = 0; a < 16; a++) {
        assertThat(warm.nextNonce(a)).isEqualTo(warm.issuedNonces(a));
      }
    }
  }

  @Test
  void theTlsStepSendsRecordsBetweenTwoLinkEnginesAndLeavesNoThreadsOrFiles() throws Exception {
    Path temp = Path.of(System.getProperty("java.io.tmpdir"));
    Set<String> before = scratchDirectories(temp);
    Set<String> threadsBefore = threadIds();
    try (JitWarmup warm = new JitWarmup()) {
      for (int step = 0; step < 7 * 2; step++) { // two passes
        warm.step();
      }
      // each record is checked to come out as it went in, after a full mutual TLS 1.3 handshake
      assertThat(warm.tlsRecords()).isEqualTo(2 * JitWarmup.TLS_RECORDS);
    }
    assertThat(scratchDirectories(temp)).isEqualTo(before);
    Set<String> started = threadIds();
    started.removeAll(threadsBefore);
    assertThat(started).as("threads the warm-up started").isEmpty();
  }

  private static Set<String> scratchDirectories(Path temp) throws IOException {
    try (Stream<Path> entries = Files.list(temp)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(JitWarmup.SCRATCH_PREFIX + ProcessHandle.current().pid()))
          .collect(Collectors.toSet());
    }
  }

  private static Set<String> threadIds() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        // the JDK's, once per JVM, for ProcessHandle (the orphan sweep asks whether a pid lives)
        .filter(t -> !t.getName().equals("process reaper"))
        .map(t -> t.threadId() + " " + t.getName())
        .collect(Collectors.toCollection(HashSet::new));
  }

  @Test
  void theStoreDirectoryIsNamedForItsProcessAndAKilledOnesLeftoverIsRemoved(@TempDir Path temp)
      throws Exception {
    assertThat(JitWarmup.scratchOwner(JitWarmup.SCRATCH_PREFIX + "4242-9876")).isEqualTo(4242);
    assertThat(JitWarmup.scratchOwner(JitWarmup.SCRATCH_PREFIX + "123456789")).isEqualTo(-1);
    assertThat(JitWarmup.scratchOwner(JitWarmup.SCRATCH_PREFIX + "x-1")).isEqualTo(-1);
    assertThat(JitWarmup.scratchOwner("other-4242-1")).isEqualTo(-1);

    // a process that has exited: its pid names the leftover
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    long dead = gone.pid();
    long self = ProcessHandle.current().pid();
    FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 2 * JitWarmup.ORPHAN_IDLE_MS);
    Path orphan = leftover(temp, JitWarmup.SCRATCH_PREFIX + dead + "-1", old);
    Path fresh = leftover(temp, JitWarmup.SCRATCH_PREFIX + dead + "-2", null); // still changing
    Path live = leftover(temp, JitWarmup.SCRATCH_PREFIX + self + "-3", old);
    Path older = leftover(temp, JitWarmup.SCRATCH_PREFIX + "4015876123", old); // no pid: kept
    Path unrelated = leftover(temp, "rocksdb-" + dead + "-4", old);

    JitWarmup.removeOrphans(temp);

    assertThat(orphan).doesNotExist();
    assertThat(fresh).isDirectory();
    assertThat(live).isDirectory();
    assertThat(older).isDirectory();
    assertThat(unrelated).isDirectory();
    JitWarmup.removeOrphans(temp.resolve("missing")); // an unreadable directory is no error
  }

  private static Path leftover(Path temp, String name, FileTime modified) throws IOException {
    Path dir = Files.createDirectory(temp.resolve(name));
    Path file = Files.write(dir.resolve("000001.log"), new byte[] {1, 2, 3});
    if (modified != null) {
      Files.setLastModifiedTime(file, modified);
      Files.setLastModifiedTime(dir, modified);
    }
    return dir;
  }

  @Test
  void aCapOfZeroDisablesIt() {
    JitWarmup.Result result = JitWarmup.run(0);
    assertThat(result.outcome()).isEqualTo("disabled");
    assertThat(result.iterations()).isZero();
    assertThat(result.describe()).isEqualTo("JIT warm-up disabled");
  }

  @Test
  void aNegativeCapIsRefused() {
    assertThatThrownBy(() -> JitWarmup.run(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 or more");
  }
}
