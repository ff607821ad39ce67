package dev.agentledger.node.ingress;

import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.service.VerdictListener;
import dev.agentledger.sig.service.VerifierService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link BatchSignatureVerifier} over sig-verify's {@link VerifierService}: every item of the batch
 * is offered with its index as the tag, the service's threads verify (batched, routed to the best
 * backend), and the calling agent waits for the last verdict. No allocation per item: the listener
 * is one object writing into the batch's verdict array; the countdown publishes the writes. An item
 * the service refuses (queue full) is verified inline, so back-pressure slows ingress down rather
 * than failing transactions.
 */
public final class ServiceBatchVerifier implements BatchSignatureVerifier {
  private final VerifierService service;
  private final AtomicInteger outstanding = new AtomicInteger();
  private RunSignatureBatch current;
  private final VerdictListener listener =
      (tag, valid) -> {
        current.setValid((int) tag, valid);
        outstanding.decrementAndGet();
      };

  public ServiceBatchVerifier(VerifierService service) {
    this.service = service;
  }

  @Override
  public void verify(RunSignatureBatch batch) {
    int m = batch.messageLength();
    current = batch;
    outstanding.set(batch.count());
    for (int i = 0; i < batch.count(); i++) {
      boolean queued =
          service.offer(
              batch.keys(),
              i * RunSignatureBatch.KEY,
              batch.signatures(),
              i * 64,
              batch.messages(),
              i * m,
              m,
              i,
              listener);
      if (!queued) {
        batch.setValid(
            i,
            Ed25519.verify(
                batch.keys(),
                i * RunSignatureBatch.KEY,
                batch.signatures(),
                i * 64,
                batch.messages(),
                i * m,
                m));
        outstanding.decrementAndGet();
      }
    }
    while (outstanding.get() > 0) {
      LockSupport.parkNanos(20_000);
    }
  }
}
