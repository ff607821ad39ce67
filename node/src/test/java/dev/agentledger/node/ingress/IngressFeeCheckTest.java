package dev.agentledger.node.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Ingress refuses a run whose fee under the genesis schedule exceeds its max_fee, and usage that
 * would overflow, with reason codes, before it is ordered (where it would only fail, for free).
 */
class IngressFeeCheckTest {
  static final int CHAIN = IngressProcessorTest.CHAIN;
  static final long NOW = IngressProcessorTest.NOW;
  static final FeeSchedule FEES = FeeSchedule.defaults();
  final IngressChecks checks =
      new IngressChecks(new IngressConfig(CHAIN, 0, 0, 60_000_000_000L, 0, FEES));

  static AgentRunBuilder run(long in, long out, long computeMs, long gpuMs, long maxFee) {
    return IngressProcessorTest.valid(0)
        .inputTokens(in)
        .outputTokens(out)
        .computeMs(computeMs)
        .gpuMs(gpuMs)
        .maxFee(maxFee);
  }

  TxStatus check(AgentRunBuilder builder) {
    byte[] record = builder.sign(IngressProcessorTest.key(1));
    return checks.check(new AgentRunFlyweight().wrap(new UnsafeBuffer(record), 0), NOW);
  }

  @Test
  void aFeeAboveMaxFeeIsRefusedAndExactlyMaxFeePasses() {
    long fee = FEES.runFee(AgentRunDescriptor.ENCODED_LENGTH, 1000, 200, 1500, 3);
    assertThat(fee).isPositive();
    assertThat(check(run(1000, 200, 1500, 3, fee))).isEqualTo(TxStatus.ACCEPTED);
    assertThat(check(run(1000, 200, 1500, 3, fee - 1))).isEqualTo(TxStatus.FEE_EXCEEDS_MAX_FEE);
    assertThat(check(run(0, 0, 0, 0, 0))).isEqualTo(TxStatus.FEE_EXCEEDS_MAX_FEE);
    assertThat(check(run(0, 0, 0, 0, -1)))
        .as("max_fee is unsigned: 2^64 - 1 covers any fee")
        .isEqualTo(TxStatus.ACCEPTED);
  }

  @Test
  void usageThatWouldOverflowIsRefused() {
    assertThat(check(run(Long.MIN_VALUE, 0, 0, 0, -1))).isEqualTo(TxStatus.USAGE_OUT_OF_RANGE);
    assertThat(check(run(0, -1, 0, 0, -1))).isEqualTo(TxStatus.USAGE_OUT_OF_RANGE);
    assertThat(check(run(0, 0, 0, 1L << 62, -1)))
        .as("each field fits, the fee does not")
        .isEqualTo(TxStatus.USAGE_OUT_OF_RANGE);
    assertThat(check(run(0, 0, 0, 0, -1).peakMemoryBytes(-5)))
        .isEqualTo(TxStatus.USAGE_OUT_OF_RANGE);
  }

  @Test
  void withoutAScheduleOnlyExecutionChecksFees() {
    IngressChecks unchecked = new IngressChecks(IngressConfig.of(CHAIN, 0));
    byte[] record = run(0, -1, 0, 0, 0).sign(IngressProcessorTest.key(1));
    assertThat(unchecked.check(new AgentRunFlyweight().wrap(new UnsafeBuffer(record), 0), NOW))
        .isEqualTo(TxStatus.ACCEPTED);
  }
}
