package dev.agentledger.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.mempool.core.Mempool;
import dev.agentledger.node.mempool.core.MempoolConfig;
import org.junit.jupiter.api.Test;

/** The start-up check that a full mempool fits in the heap (the pool grows to its bounds). */
class MempoolRoomTest {
  static final MempoolConfig NODE_RUN =
      ValidatorContext.nodeRunMempool(100_000, 1000, 2000, 50_000, 100_000, 100_000, 200_000);

  @Test
  void nodeRunsDefaultMempoolFitsTheSmallestHeapTheFaultSuiteRestartsWith() {
    assertThat(ValidatorContext.mempoolRoom(NODE_RUN, 200L << 20)).isNull();
  }

  @Test
  void aMempoolLargerThanTheHeapIsRefusedNamingTheFlagAndBothSizes() {
    long full = Mempool.maxHeapBytes(NODE_RUN);
    assertThat(ValidatorContext.mempoolRoom(NODE_RUN, full + 1)).isNull();
    String why = ValidatorContext.mempoolRoom(NODE_RUN, full);
    assertThat(why)
        .contains("--mempool-capacity")
        .contains("100000 transactions")
        .contains((full >> 20) + " MiB")
        .contains("-Xmx");
    MempoolConfig huge =
        ValidatorContext.nodeRunMempool(50_000_000, 1000, 2000, 50_000, 100_000, 100_000, 200_000);
    assertThat(ValidatorContext.mempoolRoom(huge, 4L << 30)).contains("50000000 transactions");
  }
}
