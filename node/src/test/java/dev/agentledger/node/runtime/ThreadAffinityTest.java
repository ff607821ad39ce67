package dev.agentledger.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.node.config.CpuList;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadAffinityTest {
  private static ThreadAffinity affinity() {
    Optional<ThreadAffinity> linux = ThreadAffinity.linux();
    assumeTrue(linux.isPresent(), "skipped: sched_setaffinity is Linux's");
    return linux.get();
  }

  /** Runs {@code body} on a fresh thread, so that pinning it leaves the test's thread alone. */
  private static <T> T onNewThread(java.util.function.Supplier<T> body) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Thread t =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    result.set(body.get());
                  } catch (RuntimeException e) {
                    failure.set(e);
                  }
                });
    t.join();
    if (failure.get() != null) {
      throw failure.get();
    }
    return result.get();
  }

  @Test
  void aThreadPinnedToOneCpuRunsOnThatCpuOnly() throws Exception {
    ThreadAffinity affinity = affinity();
    CpuList allowed = affinity.current();
    assertThat(allowed.isEmpty()).isFalse();
    int last = allowed.toArray()[allowed.size() - 1];
    CpuList after =
        onNewThread(
            () -> {
              affinity.pinCurrentThread(CpuList.of(last));
              return affinity.current();
            });
    assertThat(after).isEqualTo(CpuList.of(last));
    assertThat(affinity.current()).as("the test's own thread is untouched").isEqualTo(allowed);
  }

  @Test
  void aCpuTheMachineLacksIsRefusedNamingIt() {
    ThreadAffinity affinity = affinity();
    assertThatThrownBy(
            () ->
                onNewThread(
                    () -> {
                      affinity.pinCurrentThread(CpuList.of(CpuList.MAX_CPU));
                      return null;
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot pin a thread to CPUs 8191: none of them is online and allowed to this process"
                + " (sched_setaffinity)");
    assertThatThrownBy(() -> affinity.pinCurrentThread(CpuList.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no CPU to pin the thread to");
  }
}
