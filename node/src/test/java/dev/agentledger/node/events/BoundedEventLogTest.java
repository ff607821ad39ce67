package dev.agentledger.node.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.execution.core.ExecutionCode;
import dev.agentledger.node.execution.core.ExecutionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event log holds a bounded window of the latest commits' events, in whole commits. */
class BoundedEventLogTest {
  static List<ExecutionEvent> commit(long sequence, int count) {
    List<ExecutionEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(
          new ExecutionEvent(
              sequence,
              i,
              ExecutionEvent.Type.RUN_RECORDED,
              new byte[32],
              new byte[32],
              new byte[32],
              ExecutionCode.OK,
              0));
    }
    return events;
  }

  @Test
  void memoryStaysBoundedAndTheLatestCommitsStayReadable() {
    EventLog log = new EventLog(10);
    List<ExecutionEvent> live = new ArrayList<>();
    log.subscribe(1, live::add);
    for (long s = 1; s <= 1_000; s++) {
      log.append(s, commit(s, 3));
      assertThat(log.size()).as("after commit %d", s).isLessThanOrEqualTo(20);
    }
    assertThat(live).as("live delivery is not affected").hasSize(3_000);
    assertThat(log.firstSequence()).isGreaterThan(1);
    long first = log.firstSequence();
    List<ExecutionEvent> held = log.read(1, Integer.MAX_VALUE);
    assertThat(held).as("whole commits from the first held").hasSize(3 * (int) (1_001 - first));
    assertThat(held.get(0).commitSequence()).isEqualTo(first);
    assertThat(held.get(0).txIndex()).isZero();
    assertThat(log.read(1_000, 10)).extracting(ExecutionEvent::commitSequence).containsOnly(1_000L);
    assertThat(log.read(999, 4))
        .extracting(e -> e.commitSequence() + ":" + e.txIndex())
        .containsExactly("999:0", "999:1", "999:2", "1000:0");
    List<ExecutionEvent> resumed = new ArrayList<>();
    log.subscribe(first + 1, resumed::add);
    assertThat(resumed.get(0).commitSequence()).isEqualTo(first + 1);
  }
}
