package dev.agentledger.node.execution.core;

import static dev.agentledger.node.execution.LedgerFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.execution.state.SparseMerkleState;
import dev.agentledger.node.tx.AccountOpBuilder;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.RunOutcome;
import dev.agentledger.sig.Ed25519KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerExecutorTest {
  private final SparseMerkleState state = new SparseMerkleState();
  private final LedgerExecutor executor = new LedgerExecutor(genesis(), state, true);
  private long sequence;

  private List<Receipt> execute(byte[]... records) {
    return executor.execute(commit(++sequence, List.of(records))).receipts();
  }

  private AccountRecord account(Ed25519KeyPair key) {
    return AccountRecord.decode(state.get(StateKeys.account(key.publicKey())));
  }

  private UsageRecord usage(int scope, byte[] id) {
    return UsageRecord.decode(state.get(StateKeys.usage(scope, id)));
  }

  private static long expectedRunFee(long in, long out, long compute, long gpu) {
    return 100 + AgentRunDescriptor.ENCODED_LENGTH + 2 * in + 3 * out + 5 * compute + 7 * gpu;
  }

  @Test
  void aSelfPaidRunPaysTheScheduleAndIsAccounted() {
    Receipt receipt = execute(run(0).sign(AGENT)).get(0);
    long fee = expectedRunFee(10, 20, 30, 40);
    assertThat(receipt.code()).isEqualTo(ExecutionCode.OK);
    assertThat(receipt.fee()).isEqualTo(fee);
    AccountRecord agent = account(AGENT);
    assertThat(agent.balance).isEqualTo(100_000 - fee);
    assertThat(agent.nextNonce).isEqualTo(1);
    assertThat(agent.runCount).isEqualTo(1);
    assertThat(agent.lastRun).isEqualTo(receipt.txId());
    for (var scoped :
        List.of(
            usage(StateKeys.SCOPE_AGENT, AGENT.publicKey()),
            usage(StateKeys.SCOPE_PAYER, AGENT.publicKey()),
            usage(StateKeys.SCOPE_TASK, task(1)),
            usage(StateKeys.SCOPE_MODEL, model(1)))) {
      assertThat(scoped.runs).isEqualTo(1);
      assertThat(scoped.inputTokens).isEqualTo(10);
      assertThat(scoped.outputTokens).isEqualTo(20);
      assertThat(scoped.computeMs).isEqualTo(30);
      assertThat(scoped.gpuMs).isEqualTo(40);
      assertThat(scoped.maxPeakMemoryBytes).isEqualTo(1 << 20);
      assertThat(scoped.feesPaid).isEqualTo(fee);
      assertThat(scoped.outcomes).containsExactly(1, 0, 0, 0);
    }
    LedgerTotals totals = LedgerTotals.decode(state.get(StateKeys.totals()));
    assertThat(totals.feesCollected).isEqualTo(fee);
    assertThat(totals.runsRecorded).isEqualTo(1);
    assertThat(totals.lastCommitSequence).isEqualTo(1);
  }

  @Test
  void noncesMustFollowAndABadNonceChangesNothing() {
    byte[] rootBefore = state.root();
    List<Receipt> receipts = execute(run(1).sign(AGENT));
    assertThat(receipts.get(0).code()).isEqualTo(ExecutionCode.BAD_NONCE);
    assertThat(account(AGENT).nextNonce).isZero();
    assertThat(account(AGENT).balance).isEqualTo(100_000);
    // Only the totals (commit sequence, failure count) moved.
    assertThat(state.root()).isNotEqualTo(rootBefore);
    byte[] first = run(0).sign(AGENT);
    receipts = execute(first, first, run(1).sign(AGENT));
    assertThat(receipts)
        .extracting(Receipt::code)
        .containsExactly(ExecutionCode.OK, ExecutionCode.BAD_NONCE, ExecutionCode.OK);
    assertThat(account(AGENT).nextNonce).isEqualTo(2);
  }

  @Test
  void aPayerWithoutBalanceGetsARecordedPaymentFailure() {
    CommitExecution result = executor.execute(commit(++sequence, List.of(run(0).sign(AGENT2))));
    Receipt receipt = result.receipts().get(0);
    assertThat(receipt.code()).isEqualTo(ExecutionCode.INSUFFICIENT_BALANCE);
    assertThat(receipt.fee()).isZero();
    assertThat(result.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(ExecutionEvent.Type.PAYMENT_FAILED);
              assertThat(e.payer()).isEqualTo(AGENT2.publicKey());
            });
    AccountRecord agent = account(AGENT2);
    assertThat(agent.nextNonce).isEqualTo(1);
    assertThat(agent.runCount).isZero();
    assertThat(state.get(StateKeys.usage(StateKeys.SCOPE_AGENT, AGENT2.publicKey()))).isNull();
  }

  @Test
  void maxFeeBoundsWhatThePayerPays() {
    long fee = expectedRunFee(10, 20, 30, 40);
    List<Receipt> receipts =
        execute(run(0).maxFee(fee - 1).sign(AGENT), run(1).maxFee(fee).sign(AGENT));
    assertThat(receipts)
        .extracting(Receipt::code)
        .containsExactly(ExecutionCode.FEE_EXCEEDS_MAX_FEE, ExecutionCode.OK);
    long failureFee = 100 + AgentRunDescriptor.ENCODED_LENGTH; // below fee - 1: not capped
    assertThat(receipts.getFirst().fee()).isEqualTo(failureFee);
    assertThat(account(AGENT).balance).isEqualTo(100_000 - fee - failureFee);
  }

  @Test
  void aRunThatFailsAfterTheNonceCheckPaysTheFailureFeeCappedByMaxFeeAndBalance() {
    long failureFee = 100 + AgentRunDescriptor.ENCODED_LENGTH;
    List<Receipt> receipts =
        execute(
            run(0).sign(STRANGER), // NOT_AN_AGENT, no balance: charged nothing
            run(0).inputTokens(-1).sign(AGENT), // USAGE_OUT_OF_RANGE: the failure fee
            run(1).inputTokens(-1).maxFee(7).sign(AGENT), // capped by max_fee
            run(2).maxFee(0).sign(AGENT), // FEE_EXCEEDS_MAX_FEE with max_fee 0: nothing
            run(5).sign(AGENT), // BAD_NONCE: before the nonce check, free
            run(0).sign(ADMIN)); // NOT_AN_AGENT with a balance: the failure fee
    assertThat(receipts)
        .extracting(Receipt::code)
        .containsExactly(
            ExecutionCode.NOT_AN_AGENT,
            ExecutionCode.USAGE_OUT_OF_RANGE,
            ExecutionCode.USAGE_OUT_OF_RANGE,
            ExecutionCode.FEE_EXCEEDS_MAX_FEE,
            ExecutionCode.BAD_NONCE,
            ExecutionCode.NOT_AN_AGENT);
    assertThat(receipts)
        .extracting(Receipt::fee)
        .containsExactly(0L, failureFee, 7L, 0L, 0L, failureFee);
    assertThat(account(AGENT).balance).isEqualTo(100_000 - failureFee - 7);
    assertThat(account(AGENT).nextNonce).isEqualTo(3);
    assertThat(account(ADMIN).balance).isEqualTo(1_000_000 - failureFee);
    LedgerTotals totals = LedgerTotals.decode(state.get(StateKeys.totals()));
    assertThat(totals.feesCollected).isEqualTo(2 * failureFee + 7);
  }

  @Test
  void overflowingFeesAndUsageFailWithTheirCodes() {
    List<Receipt> receipts =
        execute(
            run(0).inputTokens(Long.MAX_VALUE / 2 + 1).sign(AGENT),
            run(1).outputTokens(-1).sign(AGENT));
    assertThat(receipts)
        .extracting(Receipt::code)
        .containsExactly(ExecutionCode.FEE_OVERFLOW, ExecutionCode.USAGE_OUT_OF_RANGE);
    // Free schedule: usage totals themselves overflow.
    SparseMerkleState free = new SparseMerkleState();
    LedgerExecutor executor =
        new LedgerExecutor(
            new ExecutionGenesis(CHAIN, FeeSchedule.FREE, genesis().accounts()), free, false);
    var result =
        executor.execute(
            commit(
                1,
                List.of(
                    run(0).inputTokens(Long.MAX_VALUE).sign(AGENT),
                    run(1).inputTokens(1).sign(AGENT),
                    run(2).inputTokens(0).sign(AGENT))));
    assertThat(result.receipts())
        .extracting(Receipt::code)
        .containsExactly(ExecutionCode.OK, ExecutionCode.USAGE_OVERFLOW, ExecutionCode.OK);
    UsageRecord usage =
        UsageRecord.decode(free.get(StateKeys.usage(StateKeys.SCOPE_AGENT, AGENT.publicKey())));
    assertThat(usage.inputTokens).isEqualTo(Long.MAX_VALUE);
    assertThat(usage.runs).isEqualTo(2);
  }

  @Test
  void runHistoryLinksThroughParentRun() {
    Receipt first = execute(run(0).sign(AGENT)).get(0);
    Receipt foreign = execute(run(0).sign(AGENT2)).get(0); // payment fails: not recorded
    List<Receipt> receipts =
        execute(
            run(1).parentRun(first.txId()).outcome(RunOutcome.PARTIAL).sign(AGENT),
            run(2).parentRun(foreign.txId()).sign(AGENT),
            run(3).parentRun(new byte[32]).sign(AGENT));
    assertThat(receipts)
        .extracting(Receipt::code)
        .containsExactly(ExecutionCode.OK, ExecutionCode.UNKNOWN_PARENT_RUN, ExecutionCode.OK);
    RunEntry second = RunEntry.decode(state.get(StateKeys.run(receipts.get(0).txId())));
    assertThat(second.parentRun()).isEqualTo(first.txId());
    assertThat(second.historyIndex()).isEqualTo(1);
    assertThat(second.commitSequence()).isEqualTo(3);
    assertThat(second.agent()).isEqualTo(AGENT.publicKey());
    assertThat(usage(StateKeys.SCOPE_AGENT, AGENT.publicKey()).outcomes)
        .containsExactly(2, 0, 1, 0);
  }

  @Test
  void malformedForgedAndForeignRecordsAreRecordedWithoutEffect() {
    byte[] forged = run(0).sign(AGENT);
    forged[AgentRunDescriptor.INPUT_TOKENS_OFFSET] ^= 1;
    byte[] otherChain = run(0).chainId(CHAIN + 1).sign(AGENT);
    byte[] badVersion = run(0).version(9).sign(AGENT);
    List<Receipt> receipts =
        execute(forged, otherChain, badVersion, new byte[] {1, 1, 2}, new byte[0]);
    assertThat(receipts)
        .extracting(Receipt::code)
        .containsExactly(
            ExecutionCode.BAD_SIGNATURE,
            ExecutionCode.WRONG_CHAIN,
            ExecutionCode.MALFORMED,
            ExecutionCode.MALFORMED,
            ExecutionCode.MALFORMED);
    assertThat(account(AGENT).nextNonce).isZero();
  }

  @Test
  void transfersMoveBalanceAndKeepTheSupply() {
    long opFee = 100 + 160;
    List<Receipt> receipts =
        execute(
            op(AccountOpBuilder.transfer(AGENT2.publicKey(), 5_000), 0).sign(OPERATOR),
            op(AccountOpBuilder.transfer(AGENT.publicKey(), 1), 0).sign(AGENT2),
            op(AccountOpBuilder.transfer(AGENT.publicKey(), 10_000), 1).sign(AGENT2),
            op(AccountOpBuilder.transfer(AGENT.publicKey(), -5), 2).sign(AGENT2));
    assertThat(receipts)
        .extracting(Receipt::code)
        .containsExactly(
            ExecutionCode.OK,
            ExecutionCode.OK,
            ExecutionCode.INSUFFICIENT_BALANCE,
            ExecutionCode.AMOUNT_OUT_OF_RANGE);
    assertThat(account(OPERATOR).balance).isEqualTo(1_000_000 - 5_000 - opFee);
    // Two failures after the nonce check: each pays the failure fee (an operation's fee here).
    assertThat(receipts).extracting(Receipt::fee).containsExactly(opFee, opFee, opFee, opFee);
    assertThat(account(AGENT2).balance).isEqualTo(5_000 - 1 - opFee - 2 * opFee);
    assertThat(account(AGENT).balance).isEqualTo(100_000 + 1);
  }

  @Test
  void commitsMustFollowEachOther() {
    execute(run(0).sign(AGENT));
    byte[] root = state.root();
    assertThatThrownBy(() -> executor.execute(commit(3, List.of())))
        .isInstanceOf(IllegalStateException.class);
    assertThat(state.root()).isEqualTo(root);
  }

  @Test
  void restartingOverTheSameStateResumes() {
    execute(run(0).sign(AGENT));
    LedgerExecutor again = new LedgerExecutor(genesis(), state, true);
    assertThat(again.lastSequence()).isEqualTo(1);
    assertThat(again.execute(commit(2, List.of(run(1).sign(AGENT)))).receipts().get(0).code())
        .isEqualTo(ExecutionCode.OK);
  }
}
