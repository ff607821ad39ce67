package dev.agentledger.node.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ExecutionStage#commitHash} and {@link ExecutionStage#lastCommitHash} give the stored
 * commit's hash: from memory for the newest commits, from the query store for older ones, empty for
 * a commit not executed.
 */
class CommitHashesTest {
  @Test
  void hashesFromMemoryAndFromTheStoreAgreeWithTheStoredCommits() {
    LedgerHarness h = new LedgerHarness();
    int commits = ExecutionStage.RECENT_HASHES + 5;
    for (long s = 1; s <= commits; s++) {
      h.stage.execute(LedgerFixture.commit(s, List.of()));
    }
    for (long s : new long[] {1, 5, 6, 7, commits / 2, commits - 1, commits}) {
      assertThat(h.stage.commitHash(s))
          .as("commit %d", s)
          .hasValueSatisfying(
              hash -> assertThat(hash).isEqualTo(h.store.commit(s).orElseThrow().hash()));
    }
    assertThat(h.stage.lastCommitHash()).isEqualTo(h.store.commit(commits).orElseThrow().hash());
    assertThat(h.stage.commitHash(commits + 1)).isEmpty();
    assertThat(h.stage.commitHash(0)).isEmpty();
  }
}
