package dev.agentledger.bench.loadgen;

import java.util.List;
import java.util.function.LongConsumer;
import org.agrona.DirectBuffer;

/** A synchronous test target whose behaviour per sequence number is a script. */
public final class ScriptedTarget implements LoadTarget {
  /** What to do with one submission. */
  public interface Script {
    void onSubmit(long sequence, CompletionListener listener, FakeClock clock);
  }

  private final Script script;
  private final FakeClock clock;
  private CompletionListener listener;
  boolean closed;

  public ScriptedTarget(FakeClock clock, Script script) {
    this.clock = clock;
    this.script = script;
  }

  @Override
  public TargetInfo info() {
    return new TargetInfo("scripted", "test target", "whatever the script says", "none");
  }

  @Override
  public void start(CompletionListener listener) {
    this.listener = listener;
  }

  @Override
  public void submit(
      DirectBuffer buffer, int offset, int length, long sequence, long intendedSendNs) {
    script.onSubmit(sequence, listener, clock);
  }

  @Override
  public List<StageCost> stageCosts() {
    return List.of(new StageCost("scripted", 1_000_000, 100, 0, "test stage"));
  }

  @Override
  public void close() {
    closed = true;
  }

  static LongConsumer ignore() {
    return s -> {};
  }
}
