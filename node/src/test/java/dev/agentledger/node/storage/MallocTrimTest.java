package dev.agentledger.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MallocTrimTest {
  @Test
  void thePeriodIsWholeSecondsWithADefaultAndZeroForOff() {
    assertThat(MallocTrim.periodNs(null)).isEqualTo(MallocTrim.DEFAULT_PERIOD_S * 1_000_000_000L);
    assertThat(MallocTrim.periodNs(" ")).isEqualTo(MallocTrim.DEFAULT_PERIOD_S * 1_000_000_000L);
    assertThat(MallocTrim.periodNs("0")).isZero();
    assertThat(MallocTrim.periodNs("5")).isEqualTo(5_000_000_000L);
    for (String bad : new String[] {"-1", "1.5", "30s", "86401"}) {
      assertThatThrownBy(() -> MallocTrim.periodNs(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(MallocTrim.PERIOD_PROPERTY)
          .hasMessageContaining(bad);
    }
  }

  /**
   * On glibc (this project's Linux hosts) the call is found and runs: it counts each trim, and
   * after memory allocated and freed in many small blocks it may release pages.
   */
  @Test
  void trimsOnGlibc() {
    Optional<MallocTrim> trim = MallocTrim.glibc();
    assumeTrue(trim.isPresent(), "no glibc malloc_trim on this host");
    MallocTrim t = trim.get();
    t.trim();
    t.trim();
    assertThat(t.trims()).isEqualTo(2);
    assertThat(t.released()).isBetween(0L, 2L);
  }
}
