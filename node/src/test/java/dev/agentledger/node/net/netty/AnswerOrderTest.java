package dev.agentledger.node.net.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerOrderTest {
  /** Sends {@code answer} for {@code id} the way the client handler does; returns what went out. */
  private static List<String> answer(AnswerOrder<String> order, long id, String answer) {
    List<String> out = new ArrayList<>();
    if (order.isNext(id)) {
      order.answeredNext();
      out.add(answer);
      for (String next; (next = order.pollReady()) != null; ) {
        out.add(next);
      }
    } else if (!order.hold(id, answer)) {
      out.add(answer);
    }
    return out;
  }

  @Test
  void answersGoOutInSubmitOrderWhateverOrderTheyAreReady() {
    AnswerOrder<String> order = new AnswerOrder<>();
    for (long id = 1; id <= 40; id++) { // past the initial capacity, wrapped
      order.expect(id);
    }
    assertThat(answer(order, 3, "c")).isEmpty();
    assertThat(answer(order, 2, "b")).isEmpty();
    assertThat(order.held()).isEqualTo(2);
    assertThat(answer(order, 1, "a")).containsExactly("a", "b", "c");
    assertThat(answer(order, 4, "d")).containsExactly("d");
    assertThat(order.inFlight()).isEqualTo(36);
    assertThat(order.held()).isZero();
  }

  @Test
  void aRepeatedRequestIdIsAnsweredOldestFirstAndAStrayAnswerPassesThrough() {
    AnswerOrder<String> order = new AnswerOrder<>();
    order.expect(7);
    order.expect(8);
    order.expect(7);
    assertThat(answer(order, 99, "stray")).containsExactly("stray");
    assertThat(answer(order, 8, "x")).isEmpty();
    assertThat(answer(order, 7, "first")).containsExactly("first", "x");
    assertThat(answer(order, 7, "second")).containsExactly("second");
    assertThat(order.inFlight()).isZero();
  }

  @Test
  void heldAnswersAreHandedBackWhenTheConnectionCloses() {
    AnswerOrder<String> order = new AnswerOrder<>();
    order.expect(1);
    order.expect(2);
    order.expect(3);
    answer(order, 2, "b");
    answer(order, 3, "c");
    List<String> released = new ArrayList<>();
    for (String s; (s = order.removeAnyHeld()) != null; ) {
      released.add(s);
    }
    assertThat(released).containsExactly("b", "c");
    assertThat(order.held()).isZero();
  }
}
