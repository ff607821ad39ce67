package dev.agentledger.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.idle.StageAgent;
import dev.agentledger.node.json.JsonCasing;
import dev.agentledger.node.json.StrictJson;
import dev.agentledger.node.net.TestKeys;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.worker.ValidatorNode;
import dev.agentledger.sig.Ed25519KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A whole validator (verify stage, worker, consensus primary) under {@link ThreadingMode#INVOKER}:
 * nothing runs until the test calls {@link Validator#invoke()}, and the test's thread alone carries
 * a submission from the verify agent to a consensus commit. A committee of one, so no other
 * validator's timing enters the outcome.
 */
class InvokerValidatorTest {
  static final int CHAIN = 91;

  @Test
  void theCallersDutyCyclesAloneCarryASubmissionToAConsensusCommit() throws Exception {
    ValidatorNode.Config config = OneValidator.config(CHAIN, null);
    int[] client = {OneValidator.clientPort(config)};
    try (Validator validator =
        Validator.launch(
            ValidatorContext.forNode(config, ValidatorNode.ConsensusSettings.defaults(), null)
                .verifyThreads(1)
                .threading(ThreadingMode.INVOKER))) {
      ValidatorNode node = validator.node();
      assertThat(node.agents())
          .extracting(StageAgent::roleName)
          .containsExactly("verify-0-0", "worker-0", "primary-0");
      // No duty cycle has run: the worker agent has not built a status, the primary not ticked.
      assertThat(node.statusJson()).isEqualTo("{}");
      assertThat(node.primary().round()).isEqualTo(-1);

      Ed25519KeyPair agent = TestKeys.key(7);
      List<byte[]> runs = new ArrayList<>();
      long now = System.currentTimeMillis() * 1_000_000L;
      for (int n = 0; n < 20; n++) {
        runs.add(
            new AgentRunBuilder()
                .chainId(CHAIN)
                .nonce(n)
                .startedAt(now - 1_000_000)
                .endedAt(now)
                .inputTokens(100 + n)
                .maxFee(10)
                .sign(agent));
      }
      try (AgentLedgerClient c = AgentLedgerClient.connect("127.0.0.1", client[0])) {
        c.send(runs);
        // The frame reaches the verify agent's ring on a Netty thread; everything after it is this
        // thread's invoke() calls. Bounded so that a broken pipeline fails instead of hanging.
        for (long i = 0; i < 50_000_000L && node.primary().committedTransactions() < 20; i++) {
          if (validator.invoke() == 0) {
            LockSupport.parkNanos(50_000);
          }
        }
        assertThat(node.primary().committedTransactions()).isEqualTo(20);
        assertThat(c.readResult().statuses()).hasSize(20).containsOnly(TxStatus.ACCEPTED);
      }
      validator.invoke();
      assertThat(node.statusJson())
          .contains("\"runtime\":{\"threading\":\"invoker\"")
          .contains("\"agents\":[\"verify-0-0\",\"worker-0\",\"primary-0\"],\"threads\":[]")
          .contains(
              "\"placement\":[{\"agent\":\"verify-0-0\",\"thread\":\"validator-0\",\"cpus\":null}");
      JsonNode status = StrictJson.mapper().readTree(node.statusJson());
      JsonCasing.assertCamelCase(status, JsonCasing.STATUS_DATA_MAPS);
      // The status is a snapshot rebuilt about once a second: check its shape, not its counts.
      assertThat(status.path("consensus").path("committedTxs").isNumber()).isTrue();
      assertThat(status.path("consensus").path("commitChain").isObject()).isTrue();
      assertThat(status.path("worker").path("certifiedTxs").isNumber()).isTrue();
      assertThat(status.path("verify").path("verifyRounds").isNumber()).isTrue();
      assertThat(status.path("ingress").path("badSignature").isNumber()).isTrue();
      assertThat(status.path("threadsCpuMs").path("process").isNumber()).isTrue();
    }
  }
}
