package dev.agentledger.node.net.netty;

/**
 * The SUBMITs of one client connection still owed an answer, in arrival order, and the answers that
 * are ready before their turn. The node answers a SUBMIT on different paths (refused on the I/O
 * thread when its ring is full, refused while catching up, admitted by the worker and held until
 * the ingress log is synced), so a later SUBMIT's answer can be ready before an earlier one's; the
 * client protocol answers every SUBMIT of a connection in the order it was sent, so such an answer
 * waits here until every earlier SUBMIT is answered.
 *
 * <p>An answer belongs to the oldest unanswered SUBMIT with its request id. Single-threaded (the
 * connection's event loop); storage grows with the SUBMITs in flight and is reused.
 *
 * @param <T> an answer
 */
final class AnswerOrder<T> {
  private long[] ids = new long[16];
  private Object[] answers = new Object[16];
  private int head;
  private int size;
  private int held;

  /** A SUBMIT with {@code requestId} arrived: it is owed an answer after every earlier one. */
  void expect(long requestId) {
    if (size == ids.length) {
      grow();
    }
    int at = (head + size) & (ids.length - 1);
    ids[at] = requestId;
    answers[at] = null;
    size++;
  }

  /** Whether an answer to {@code requestId} may go out now: it is owed to the oldest SUBMIT. */
  boolean isNext(long requestId) {
    return size > 0 && ids[head] == requestId;
  }

  /** The oldest SUBMIT was answered ({@link #isNext} was true and its answer went out). */
  void answeredNext() {
    pop();
  }

  /**
   * Keeps {@code answer} for the oldest unanswered SUBMIT with {@code requestId} that is not the
   * oldest of all.
   *
   * @return false when no SUBMIT in flight has that request id (the caller sends it as it is)
   */
  boolean hold(long requestId, T answer) {
    int mask = ids.length - 1;
    for (int i = 0; i < size; i++) {
      int at = (head + i) & mask;
      if (ids[at] == requestId && answers[at] == null) {
        if (i == 0) {
          throw new IllegalStateException("the oldest SUBMIT's answer goes out at once");
        }
        answers[at] = answer;
        held++;
        return true;
      }
    }
    return false;
  }

  /** The next answer whose turn has come (removed), or null: the oldest SUBMIT is unanswered. */
  @SuppressWarnings("unchecked")
  T pollReady() {
    if (size == 0 || answers[head] == null) {
      return null;
    }
    T answer = (T) answers[head];
    held--;
    pop();
    return answer;
  }

  /** Answers held until an earlier SUBMIT is answered. */
  int held() {
    return held;
  }

  /** SUBMITs not yet answered on the wire. */
  int inFlight() {
    return size;
  }

  /** Removes and returns a held answer, or null when none is left (the connection closed). */
  @SuppressWarnings("unchecked")
  T removeAnyHeld() {
    int mask = ids.length - 1;
    for (int i = 0; i < size; i++) {
      int at = (head + i) & mask;
      if (answers[at] != null) {
        T answer = (T) answers[at];
        answers[at] = null;
        held--;
        return answer;
      }
    }
    return null;
  }

  private void pop() {
    answers[head] = null;
    head = (head + 1) & (ids.length - 1);
    size--;
  }

  private void grow() {
    long[] newIds = new long[ids.length * 2];
    Object[] newAnswers = new Object[ids.length * 2];
    int mask = ids.length - 1;
    for (int i = 0; i < size; i++) {
      newIds[i] = ids[(head + i) & mask];
      newAnswers[i] = answers[(head + i) & mask];
    }
    ids = newIds;
    answers = newAnswers;
    head = 0;
  }
}
