package dev.agentledger.node.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.events.EventLog;
import dev.agentledger.node.events.ReceiptEvents;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.ExecutionEvent;
import dev.agentledger.node.metrics.MetricsRegistry;
import dev.agentledger.node.query.QueryStore;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Old events page from RocksDB: a node whose event log holds a small window executes a random
 * stream (successes and every kind of failure), and reads of commits before the window, the same
 * after a restart, give exactly the events execution emitted, while the log's memory stays bounded.
 */
class PagedEventsTest {
  private static final int COMMITS = 60;

  @TempDir Path dir;

  static String text(ExecutionEvent e) {
    HexFormat hex = HexFormat.of();
    return e.commitSequence()
        + "/"
        + e.txIndex()
        + " "
        + e.type()
        + " "
        + hex.formatHex(e.txId())
        + " "
        + hex.formatHex(e.account())
        + " "
        + hex.formatHex(e.payer())
        + " "
        + e.code()
        + " "
        + e.amount();
  }

  static List<String> texts(List<ExecutionEvent> events) {
    return events.stream().map(PagedEventsTest::text).toList();
  }

  static EventLog.History history(QueryStore queries) {
    return s ->
        queries
            .commit(s)
            .map(c -> ReceiptEvents.derive(s, c.transactions(), c.receipts()))
            .orElse(null);
  }

  private ExecutionStage open(RocksDbStore store, EventLog events) {
    return ExecutionStage.durable(
        LedgerFixture.genesis(),
        store,
        LedgerHarness.COMMITTEE,
        LedgerHarness.VALIDATORS[0],
        events,
        new MetricsRegistry(),
        true,
        System::nanoTime);
  }

  @Test
  void eventsBeforeTheWindowAreReadFromTheStoredCommits() {
    List<CommittedInput> stream = DeterminismTest.stream(23, COMMITS);
    LedgerHarness reference = new LedgerHarness(); // unbounded log: every event as emitted
    for (CommittedInput input : stream) {
      reference.stage.execute(input);
    }
    List<String> all = texts(reference.events.read(1, Integer.MAX_VALUE));
    assertThat(all).hasSizeGreaterThan(100);

    Path db = dir.resolve("db");
    try (RocksDbStore store = RocksDbStore.open(db)) {
      EventLog small = new EventLog(8);
      ExecutionStage stage = open(store, small);
      small.pageFrom(history(stage.queryStore()));
      for (CommittedInput input : stream) {
        stage.execute(input);
        assertThat(small.size()).isLessThanOrEqualTo(16);
      }
      assertThat(small.firstSequence()).as("the window moved on").isGreaterThan(COMMITS / 2);
      assertThat(texts(small.read(1, Integer.MAX_VALUE))).isEqualTo(all);
      assertThat(texts(small.read(3, 17))).isEqualTo(texts(reference.events.read(3, 17)));
      List<ExecutionEvent> replayed = new ArrayList<>();
      small.subscribe(2, replayed::add);
      assertThat(texts(replayed)).isEqualTo(texts(reference.events.read(2, Integer.MAX_VALUE)));
    }
    try (RocksDbStore store = RocksDbStore.open(db)) {
      EventLog resumed = new EventLog(8);
      ExecutionStage stage = open(store, resumed);
      assertThat(resumed.firstSequence())
          .as("a restarted log holds nothing")
          .isEqualTo(COMMITS + 1);
      assertThat(resumed.read(1, Integer.MAX_VALUE)).as("without a history").isEmpty();
      resumed.pageFrom(history(stage.queryStore()));
      assertThat(texts(resumed.read(1, Integer.MAX_VALUE))).isEqualTo(all);
    }
  }
}
