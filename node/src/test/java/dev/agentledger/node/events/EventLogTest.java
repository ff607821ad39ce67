package dev.agentledger.node.events;

import static dev.agentledger.node.execution.LedgerFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.execution.LedgerHarness;
import dev.agentledger.node.execution.core.ExecutionEvent;
import dev.agentledger.node.execution.core.Roles;
import dev.agentledger.node.tx.AccountOpBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {
  private static List<String> describe(List<ExecutionEvent> events) {
    List<String> out = new ArrayList<>();
    events.forEach(e -> out.add(e.commitSequence() + ":" + e.txIndex() + ":" + e.type()));
    return out;
  }

  @Test
  void subscribersGetCommittedEventsInOrderAndResume() {
    LedgerHarness ledger = new LedgerHarness();
    List<ExecutionEvent> live = new ArrayList<>();
    EventLog.Subscription fromStart = ledger.events.subscribe(1, live::add);
    ledger.commit(List.of(run(0).sign(AGENT), run(0).sign(AGENT2)));
    ledger.commit(
        List.of(
            op(AccountOpBuilder.permission(AGENT2.publicKey(), Roles.AGENT | Roles.AUDITOR), 0)
                .sign(ADMIN)));
    ledger.commit(
        List.of(
            run(1).sign(AGENT),
            op(AccountOpBuilder.authorize(AGENT.publicKey(), true), 0).sign(OPERATOR)));
    List<String> all =
        List.of(
            "1:0:RUN_RECORDED",
            "1:1:PAYMENT_FAILED",
            "2:0:PERMISSION_CHANGED",
            "3:0:RUN_RECORDED",
            "3:1:AUTHORIZATION_CHANGED");
    assertThat(describe(live)).containsExactlyElementsOf(all);

    // A late subscriber resuming from commit 2 gets the stored tail, then live events, no gap.
    List<ExecutionEvent> resumed = new ArrayList<>();
    ledger.events.subscribe(2, resumed::add);
    fromStart.close();
    ledger.commit(List.of(run(2).sign(AGENT)));
    assertThat(describe(resumed))
        .containsExactly(
            "2:0:PERMISSION_CHANGED",
            "3:0:RUN_RECORDED",
            "3:1:AUTHORIZATION_CHANGED",
            "4:0:RUN_RECORDED");
    assertThat(live).hasSize(5); // closed: no more delivery
    assertThat(describe(ledger.events.read(3, 2)))
        .containsExactly("3:0:RUN_RECORDED", "3:1:AUTHORIZATION_CHANGED");
    assertThat(ledger.events.read(5, 10)).isEmpty();
    ExecutionEvent failed = live.get(1);
    assertThat(failed.payer()).isEqualTo(AGENT2.publicKey());
    assertThat(live.get(2).amount()).isEqualTo(Roles.AGENT | Roles.AUDITOR);
  }

  @Test
  void commitsMustArriveInOrderAndAFailingSubscriberIsDropped() {
    EventLog log = new EventLog();
    assertThatThrownBy(() -> log.append(2, List.of())).isInstanceOf(IllegalStateException.class);
    List<Long> seen = new ArrayList<>();
    log.subscribe(
        1,
        e -> {
          throw new IllegalStateException("consumer broke");
        });
    log.subscribe(1, e -> seen.add(e.commitSequence()));
    ExecutionEvent event =
        new ExecutionEvent(
            1,
            0,
            ExecutionEvent.Type.RUN_RECORDED,
            new byte[32],
            new byte[32],
            new byte[32],
            dev.agentledger.node.execution.core.ExecutionCode.OK,
            1);
    log.append(1, List.of(event));
    log.append(
        2,
        List.of(
            new ExecutionEvent(
                2,
                0,
                ExecutionEvent.Type.RUN_RECORDED,
                new byte[32],
                new byte[32],
                new byte[32],
                dev.agentledger.node.execution.core.ExecutionCode.OK,
                1)));
    assertThat(seen).containsExactly(1L, 2L);
  }
}
