package dev.agentledger.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The arithmetic of per-stage thread costs: grouping, sums, the JSON form, per-tx differences. */
class ThreadGroupCostsTest {
  @Test
  void threadsOfAStageShareAGroup() {
    assertThat(ThreadGroupCosts.group("verify-2-0")).isEqualTo("verify-N-N");
    assertThat(ThreadGroupCosts.group("worker-13")).isEqualTo("worker-N");
    assertThat(ThreadGroupCosts.group("consensus-verify")).isEqualTo("consensus-verify");
  }

  @Test
  void sumsSkipEndedThreadsAndUnknownNames() {
    String[] groups = {"worker-N", "verify-N-N", "verify-N-N", null, "feed-N"};
    long[] values = {100, 40, 2, 7, -1};
    TreeMap<String, Long> sums = ThreadGroupCosts.sum(groups, values, 5);
    assertThat(sums).containsExactly(Map.entry("verify-N-N", 42L), Map.entry("worker-N", 100L));
    // count bounds what is read
    assertThat(ThreadGroupCosts.sum(groups, values, 1))
        .containsExactly(Map.entry("worker-N", 100L));
  }

  @Test
  void jsonDividesByTheUnitAndLeavesOutSmallGroups() {
    TreeMap<String, Long> sums = new TreeMap<>(Map.of("a-N", 25_000_000L, "b-N", 9_999_999L));
    assertThat(ThreadGroupCosts.json(1_234_567_890L, sums, 1_000_000L, 10_000_000L).toString())
        .isEqualTo("{\"process\":1234,\"a-N\":25}");
    assertThat(ThreadGroupCosts.json(-5, Map.of(), 1, 0).toString()).isEqualTo("{\"process\":-1}");
  }

  @Test
  void perTransactionIsTheDifferenceOverTheTransactions() {
    Map<String, Long> before = Map.of("worker-N", 1_000L, "verify-N-N", 500L, "gone-N", 9L);
    Map<String, Long> after = Map.of("worker-N", 41_000L, "verify-N-N", 400L, "feed-N", 8_000L);
    assertThat(ThreadGroupCosts.perTransaction(before, after, 100))
        .containsExactly(
            Map.entry("feed-N", 80.0), // new group counts from 0
            Map.entry("verify-N-N", 0.0), // a thread ended: never negative
            Map.entry("worker-N", 400.0));
    assertThat(ThreadGroupCosts.perTransaction(before, after, 0)).isEmpty();
  }
}
