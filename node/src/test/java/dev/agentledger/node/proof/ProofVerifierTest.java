package dev.agentledger.node.proof;

import static dev.agentledger.node.execution.LedgerFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.node.commit.CommitSignature;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.execution.LedgerHarness;
import dev.agentledger.node.execution.core.Receipt;
import dev.agentledger.node.execution.core.StateKeys;
import dev.agentledger.node.query.ProofService;
import dev.agentledger.node.query.StoredCommit;
import dev.agentledger.node.tx.AccountOpBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProofVerifierTest {
  private static final java.util.HexFormat HEX = java.util.HexFormat.of();
  private final LedgerHarness ledger = new LedgerHarness();
  private final Committee committee = LedgerHarness.COMMITTEE;
  private byte[] runId;
  private byte[] failedId;

  @BeforeEach
  void buildLedger() {
    ledger.commit(
        List.of(
            run(0).sign(AGENT),
            op(AccountOpBuilder.authorize(AGENT.publicKey(), true), 0).sign(OPERATOR)));
    StoredCommit second =
        ledger.commit(
            List.of(
                run(1).payer(OPERATOR.publicKey()).sign(AGENT),
                run(0).sign(AGENT2), // payer without balance: recorded failure
                run(2).sign(AGENT),
                op(AccountOpBuilder.transfer(AGENT2.publicKey(), 50), 1).sign(OPERATOR),
                run(3).taskId(task(2)).sign(AGENT)));
    runId = second.txIds().get(2);
    failedId = second.txIds().get(1);
  }

  private String json(LedgerProof proof) {
    return proof.toJson().toString();
  }

  private List<String> proofs() {
    ProofService p = ledger.proofs;
    List<String> out = new ArrayList<>();
    out.add(json(p.transaction(runId).orElseThrow()));
    out.add(json(p.transaction(failedId).orElseThrow()));
    out.add(json(p.state(new StateSubject.Usage(StateKeys.SCOPE_AGENT, AGENT.publicKey()))));
    out.add(json(p.state(new StateSubject.Account(OPERATOR.publicKey()))));
    out.add(json(p.state(new StateSubject.Account(STRANGER.publicKey())))); // absent
    out.add(json(p.state(new StateSubject.Authorization(OPERATOR.publicKey(), AGENT.publicKey()))));
    out.add(json(p.state(new StateSubject.Run(runId))));
    out.add(json(p.state(new StateSubject.Usage(StateKeys.SCOPE_TASK, task(2)))));
    out.add(json(p.state(new StateSubject.Totals())));
    return out;
  }

  @Test
  void servedProofsVerifyAndSayWhatTheyProve() {
    List<String> proofs = proofs();
    for (String proof : proofs) {
      ProofVerifier.Verdict verdict = ProofVerifier.verify(committee, proof);
      assertThat(verdict.valid()).as(verdict.message()).isTrue();
    }
    assertThat(ProofVerifier.verify(committee, proofs.get(0)).message())
        .contains("executed, fee")
        .contains("commit 2")
        .contains("holding 100 of 100 stake");
    assertThat(ProofVerifier.verify(committee, proofs.get(1)).message())
        .contains("INSUFFICIENT_BALANCE");
    assertThat(ProofVerifier.verify(committee, proofs.get(2)).message())
        .contains("usage of agent")
        .contains("runs 4");
    assertThat(ProofVerifier.verify(committee, proofs.get(4)).message()).contains("does not exist");
    assertThat(ProofVerifier.verify(committee, proofs.get(5)).message()).contains("may bill");
  }

  @Test
  void everyFlippedCharacterOfEveryProofIsRejected() {
    List<String> proofs = proofs();
    // An absence proof ending in an empty subtree proves the absence of every key below that
    // subtree: changing the subject to another such key yields a valid proof of another true
    // statement, which the verdict names. It is checked on its own below, not in the sweep.
    String absence = proofs.remove(4);
    String other =
        absence.replace(HEX.formatHex(STRANGER.publicKey()), HEX.formatHex(key(77).publicKey()));
    ProofVerifier.Verdict verdict = ProofVerifier.verify(committee, other);
    if (verdict.valid()) {
      assertThat(verdict.message())
          .contains(HEX.formatHex(key(77).publicKey()))
          .contains("does not exist");
    }
    for (String proof : proofs) {
      byte[] text = proof.getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < text.length; i++) {
        for (int mask : new int[] {0x01}) { // any change to a hex digit, digit, letter or delimiter
          byte[] mutated = text.clone();
          mutated[i] ^= (byte) mask;
          assertThat(accepted(new String(mutated, StandardCharsets.ISO_8859_1)))
              .as(
                  "flip 0x%02x at %d of %s",
                  mask, i, proof.substring(Math.max(0, i - 60), Math.min(proof.length(), i + 40)))
              .isFalse();
        }
      }
    }
  }

  @Test
  void everyChangedByteOfCommitCertificateTransactionAndPathsIsRejected() {
    Random random = new Random(11);
    LedgerProof.Transaction tx = ledger.proofs.transaction(runId).orElseThrow();
    List<byte[]> fields = new ArrayList<>();
    fields.add(tx.commit());
    fields.add(tx.transaction());
    fields.add(tx.receipt());
    fields.addAll(tx.txPath());
    fields.addAll(tx.receiptPath());
    for (CommitSignature s : tx.certificate()) {
      fields.add(s.validator());
      fields.add(s.signature());
    }
    assertThat(tx.txPath()).isNotEmpty();
    for (byte[] field : fields) {
      for (int i = 0; i < field.length; i++) {
        byte saved = field[i];
        field[i] ^= (byte) (1 + random.nextInt(255));
        // The records hold the arrays they were given, so this mutates the proof itself.
        assertThat(accepted(json(tx))).as("byte %d of a %d-byte field", i, field.length).isFalse();
        field[i] = saved;
      }
    }
    assertThat(accepted(json(tx))).isTrue();
    LedgerProof.State state =
        ledger.proofs.state(new StateSubject.Usage(StateKeys.SCOPE_AGENT, AGENT.publicKey()));
    List<byte[]> stateFields = new ArrayList<>(state.siblings());
    stateFields.add(state.commit());
    stateFields.add(state.value());
    stateFields.add(state.leafKey());
    stateFields.add(state.leafValueHash());
    for (byte[] field : stateFields) {
      for (int i = 0; i < field.length; i++) {
        byte saved = field[i];
        field[i] ^= (byte) (1 + random.nextInt(255));
        assertThat(accepted(json(state))).as("state byte %d of %d", i, field.length).isFalse();
        field[i] = saved;
      }
    }
    assertThat(accepted(json(state))).isTrue();
  }

  @Test
  void certificatesNeedMoreThanTwoThirdsOfTheStakeFromDistinctMembers() {
    // Validators 0 (10) + 3 (40) + 1 (20) = 70 of 100: certified.
    StoredCommit certified = ledger.commit(List.of(run(4).sign(AGENT)), 3, 1);
    assertThat(certified.certificate()).isNotNull();
    // 0 + 1 + 2 = 60 of 100: three of four validators, but not enough stake.
    StoredCommit uncertified = ledger.commit(List.of(run(5).sign(AGENT)), 1, 2);
    assertThat(uncertified.certificate()).isNull();
    assertThatThrownBy(() -> ledger.proofs.transaction(uncertified.txIds().get(0)))
        .isInstanceOf(ProofService.NotCertifiedException.class);

    LedgerProof.Transaction tx = ledger.proofs.transaction(certified.txIds().get(0)).orElseThrow();
    assertThat(ProofVerifier.verify(committee, tx).valid()).isTrue();
    byte[] hash = certified.hash();
    List<CommitSignature> sigs = tx.certificate();
    // Drop one: 0 + 3 = 50.
    assertThat(reason(withCertificate(tx, sigs.subList(0, 2))))
        .contains("not more than two thirds");
    // The same validator twice.
    List<CommitSignature> twice = new ArrayList<>(sigs.subList(0, 2));
    twice.add(sigs.get(1));
    assertThat(reason(withCertificate(tx, twice))).contains("signed twice");
    // A stranger's valid signature.
    List<CommitSignature> stranger = new ArrayList<>(sigs);
    stranger.add(CommitSignature.sign(STRANGER, hash));
    assertThat(reason(withCertificate(tx, stranger))).contains("not in the committee");
    // Against another committee (same keys, other stakes): 70 of 170 is not a quorum.
    Committee heavier =
        new Committee(
            CHAIN,
            0,
            List.of(
                new Committee.Validator(0, LedgerHarness.VALIDATORS[0].publicKey(), 10),
                new Committee.Validator(1, LedgerHarness.VALIDATORS[1].publicKey(), 20),
                new Committee.Validator(2, LedgerHarness.VALIDATORS[2].publicKey(), 100),
                new Committee.Validator(3, LedgerHarness.VALIDATORS[3].publicKey(), 40)));
    assertThat(ProofVerifier.verify(heavier, tx).valid()).isFalse();
    Committee otherChain = committee.withChainId(CHAIN + 1);
    assertThat(ProofVerifier.verify(otherChain, tx).message()).contains("chain");
  }

  private static LedgerProof.Transaction withCertificate(
      LedgerProof.Transaction t, List<CommitSignature> sigs) {
    return new LedgerProof.Transaction(
        t.commit(), sigs, t.transaction(), t.index(), t.txPath(), t.receipt(), t.receiptPath());
  }

  private String reason(LedgerProof proof) {
    ProofVerifier.Verdict verdict = ProofVerifier.verify(committee, proof);
    assertThat(verdict.valid()).isFalse();
    return verdict.message();
  }

  @Test
  void malformedJsonIsRefusedNotJudged() {
    String proof = proofs().get(0);
    for (String bad :
        List.of(
            "",
            "[]",
            "{}",
            proof + "{}",
            proof.replace("\"index\":", "\"index\":-"),
            proof.replace("{\"type\"", "{\"extra\":1,\"type\""),
            proof.replace(
                "\"type\":\"transaction\"", "\"type\":\"transaction\",\"type\":\"transaction\""),
            proof.replaceFirst("\"commit\":\"([0-9a-f]{2})", "\"commit\":\"AB"))) {
      assertThatThrownBy(() -> ProofVerifier.verify(committee, bad))
          .as(bad.length() > 60 ? bad.substring(0, 60) : bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    ObjectNode node = ledger.proofs.transaction(runId).orElseThrow().toJson();
    node.put("index", 1.5);
    assertThatThrownBy(() -> ProofVerifier.verify(committee, node.toString()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private boolean accepted(String proofJson) {
    try {
      return ProofVerifier.verify(committee, proofJson).valid();
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  static Receipt unused() {
    return null;
  }
}
