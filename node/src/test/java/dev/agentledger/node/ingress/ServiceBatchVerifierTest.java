package dev.agentledger.node.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.sig.service.VerifierService;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The VerifierService-backed verifier gives exactly the inline verifier's answers, batch after
 * batch.
 */
class ServiceBatchVerifierTest {
  @Test
  void agreesWithInlineVerification() {
    Random random = new Random(3);
    try (VerifierService service =
        VerifierService.builder().threads(2).maxBatch(16).queueCapacity(64).build()) {
      ServiceBatchVerifier viaService = new ServiceBatchVerifier(service);
      SingleEd25519Verifier inline = new SingleEd25519Verifier();
      AgentRunFlyweight run = new AgentRunFlyweight();
      for (int round = 0; round < 5; round++) {
        RunSignatureBatch a = new RunSignatureBatch(100);
        RunSignatureBatch b = new RunSignatureBatch(100);
        int n = 1 + random.nextInt(100);
        for (int i = 0; i < n; i++) {
          byte[] record =
              IngressProcessorTest.valid(i)
                  .inputTokens(random.nextLong())
                  .sign(IngressProcessorTest.key(i % 7));
          if (random.nextInt(4) == 0) {
            record[random.nextInt(record.length)] ^= 4;
          }
          run.wrap(new UnsafeBuffer(record), 0);
          a.add(run);
          b.add(run);
        }
        viaService.verify(a);
        inline.verify(b);
        int valid = 0;
        for (int i = 0; i < n; i++) {
          assertThat(a.valid(i)).as("round %d item %d", round, i).isEqualTo(b.valid(i));
          valid += a.valid(i) ? 1 : 0;
        }
        assertThat(valid).isBetween(1, n);
      }
    }
  }
}
