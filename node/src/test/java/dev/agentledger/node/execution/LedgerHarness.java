package dev.agentledger.node.execution;

import dev.agentledger.node.commit.CommitSignature;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.events.EventLog;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.metrics.MetricsRegistry;
import dev.agentledger.node.query.ProofService;
import dev.agentledger.node.query.StoredCommit;
import dev.agentledger.node.query.memory.InMemoryQueryStore;
import dev.agentledger.sig.Ed25519KeyPair;
import java.util.List;

/**
 * One node's execution stage with a 4-validator committee (stakes 10, 20, 30, 40) whose other
 * validators' signatures the test supplies: enough to certify commits without a network.
 */
public final class LedgerHarness {
  public static final Ed25519KeyPair[] VALIDATORS = {
    LedgerFixture.key(100), LedgerFixture.key(101), LedgerFixture.key(102), LedgerFixture.key(103)
  };
  public static final Committee COMMITTEE =
      new Committee(
          LedgerFixture.CHAIN,
          0,
          List.of(
              new Committee.Validator(0, VALIDATORS[0].publicKey(), 10),
              new Committee.Validator(1, VALIDATORS[1].publicKey(), 20),
              new Committee.Validator(2, VALIDATORS[2].publicKey(), 30),
              new Committee.Validator(3, VALIDATORS[3].publicKey(), 40)));

  public final InMemoryQueryStore store = new InMemoryQueryStore();
  public final EventLog events = new EventLog();
  public final MetricsRegistry metrics = new MetricsRegistry();
  public final ExecutionStage stage =
      new ExecutionStage(
          LedgerFixture.genesis(),
          COMMITTEE,
          VALIDATORS[0],
          store,
          events,
          metrics,
          true,
          System::nanoTime);
  public final ProofService proofs = new ProofService(store);
  private long sequence;

  /** Executes one commit of {@code records} and certifies it with all four validators. */
  public StoredCommit commit(List<byte[]> records) {
    return commit(records, 1, 2, 3);
  }

  /** Executes one commit; validator 0 signs, then the given others. */
  public StoredCommit commit(List<byte[]> records, int... cosigners) {
    CommittedInput input = LedgerFixture.commit(++sequence, records);
    stage.execute(input);
    byte[] hash = store.commit(sequence).orElseThrow().hash();
    for (int v : cosigners) {
      stage.addSignature(sequence, CommitSignature.sign(VALIDATORS[v], hash));
    }
    return store.commit(sequence).orElseThrow();
  }
}
