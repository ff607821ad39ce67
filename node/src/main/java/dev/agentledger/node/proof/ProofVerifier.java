package dev.agentledger.node.proof;

import dev.agentledger.hash.Sha256;
import dev.agentledger.hash.merkle.InclusionProof;
import dev.agentledger.node.commit.CommitCertificate;
import dev.agentledger.node.commit.CommitRecord;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.execution.core.ExecutionCode;
import dev.agentledger.node.execution.core.Receipt;
import dev.agentledger.node.execution.state.SparseMerkleProof;
import dev.agentledger.node.tx.AccountOpFlyweight;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.node.tx.RunKind;
import java.util.Arrays;
import java.util.HexFormat;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Checks a {@link LedgerProof} offline against a {@link Committee}: nothing but the two files is
 * trusted. Order: the commit record decodes and names the committee's chain; the certificate's
 * signers are distinct members whose Ed25519 signatures of the commit hash verify and whose stake
 * is more than two thirds; then the RFC 9162 audit paths of the transaction id and of its receipt
 * reproduce the commit's tree heads, or the sparse Merkle proof of the subject's key reproduces the
 * commit's state root.
 */
public final class ProofVerifier {
  private static final HexFormat HEX = HexFormat.of();

  /** The outcome: valid or not, and a one-line reason or summary. */
  public record Verdict(boolean valid, String message) {
    static Verdict invalid(String reason) {
      return new Verdict(false, reason);
    }
  }

  private ProofVerifier() {}

  /**
   * Verifies a proof given as JSON text.
   *
   * @throws IllegalArgumentException when the JSON is malformed (not a proof at all)
   */
  public static Verdict verify(Committee committee, String proofJson) {
    return verify(committee, LedgerProof.fromJson(proofJson));
  }

  public static Verdict verify(Committee committee, LedgerProof proof) {
    CommitRecord commit;
    try {
      commit = CommitRecord.decode(proof.commit());
    } catch (IllegalArgumentException e) {
      return Verdict.invalid("commit record does not decode: " + e.getMessage());
    }
    if (commit.chainId() != committee.chainId()) {
      return Verdict.invalid(
          "commit is for chain "
              + Integer.toUnsignedString(commit.chainId())
              + ", the committee for chain "
              + Integer.toUnsignedString(committee.chainId()));
    }
    // The Merkle checks are cheap; the signatures are not. Both must pass, so run the cheap first.
    Verdict content =
        switch (proof) {
          case LedgerProof.Transaction t -> verifyTransaction(commit, t);
          case LedgerProof.State s -> verifyState(commit, s);
        };
    if (!content.valid()) {
      return content;
    }
    byte[] commitHash = Sha256.digest(proof.commit());
    CommitCertificate certificate = new CommitCertificate(commitHash, proof.certificate());
    String problem = certificate.check(committee);
    if (problem != null) {
      return Verdict.invalid("certificate: " + problem);
    }
    return new Verdict(
        true,
        content.message()
            + " of commit "
            + commit.sequence()
            + " (round "
            + commit.round()
            + ", hash "
            + HEX.formatHex(commitHash)
            + ") certified by "
            + proof.certificate().size()
            + " of "
            + committee.validators().size()
            + " validators holding "
            + certificate.signedStake(committee)
            + " of "
            + committee.totalStake()
            + " stake");
  }

  private static Verdict verifyTransaction(CommitRecord commit, LedgerProof.Transaction proof) {
    byte[] record = proof.transaction();
    RunKind kind = record.length >= 2 ? RunKind.fromCode(record[1]) : null;
    if (kind == null || record.length != kind.encodedLength()) {
      return Verdict.invalid("transaction bytes are not a known transaction layout");
    }
    byte[] txId;
    String who;
    UnsafeBuffer buffer = new UnsafeBuffer(record);
    byte[] key = new byte[32];
    if (kind == RunKind.RUN) {
      AgentRunFlyweight run = new AgentRunFlyweight().wrap(buffer, 0);
      txId = run.transactionId();
      run.getAgent(key, 0);
      who = "agent " + HEX.formatHex(key) + " nonce " + Long.toUnsignedString(run.nonce());
    } else {
      AccountOpFlyweight op = new AccountOpFlyweight().wrap(buffer, 0);
      txId = op.transactionId();
      op.getSigner(key, 0);
      who = "signer " + HEX.formatHex(key) + " nonce " + Long.toUnsignedString(op.nonce());
    }
    if (Long.compareUnsigned(proof.index(), commit.txCount()) >= 0) {
      return Verdict.invalid(
          "index "
              + proof.index()
              + " is outside the commit's "
              + commit.txCount()
              + " transactions");
    }
    if (!new InclusionProof(proof.index(), commit.txCount(), proof.txPath())
        .verifyLeaf(txId, commit.txRoot())) {
      return Verdict.invalid(
          "transaction "
              + HEX.formatHex(txId)
              + " is not at index "
              + proof.index()
              + " under the commit's tx_root");
    }
    Receipt receipt;
    try {
      receipt = Receipt.decode(proof.receipt());
    } catch (IllegalArgumentException e) {
      return Verdict.invalid("receipt does not decode: " + e.getMessage());
    }
    if (!Arrays.equals(receipt.txId(), txId) || receipt.kind() != Byte.toUnsignedInt(kind.code())) {
      return Verdict.invalid("receipt is for another transaction");
    }
    if (!new InclusionProof(proof.index(), commit.txCount(), proof.receiptPath())
        .verifyLeaf(proof.receipt(), commit.receiptsRoot())) {
      return Verdict.invalid(
          "receipt is not at index " + proof.index() + " under the commit's receipts_root");
    }
    String outcome =
        receipt.code() == ExecutionCode.OK
            ? "executed, fee " + receipt.fee()
            : "recorded as failed: " + receipt.code() + " (" + receipt.code().reason() + ")";
    return new Verdict(
        true,
        "transaction "
            + HEX.formatHex(txId)
            + " ("
            + kind
            + ", "
            + who
            + "), "
            + outcome
            + ", is at index "
            + proof.index());
  }

  private static Verdict verifyState(CommitRecord commit, LedgerProof.State proof) {
    SparseMerkleProof smt;
    try {
      smt =
          new SparseMerkleProof(
              proof.subject().key(), proof.leafKey(), proof.leafValueHash(), proof.siblings());
    } catch (IllegalArgumentException e) {
      return Verdict.invalid("state proof is ill-formed: " + e.getMessage());
    }
    if (!smt.verify(commit.stateRoot(), proof.value())) {
      return Verdict.invalid(
          "state proof does not reproduce the commit's state_root for " + proof.subject().toJson());
    }
    String description;
    try {
      description = proof.subject().describe(proof.value());
    } catch (IllegalArgumentException e) {
      return Verdict.invalid("proven value does not decode for its subject: " + e.getMessage());
    }
    return new Verdict(true, description + "; in state root " + HEX.formatHex(commit.stateRoot()));
  }
}
