package dev.agentledger.node.commit;

import dev.agentledger.node.committee.Committee;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Signatures of one commit hash by validators holding more than two thirds of the committee's
 * stake: the BFT quorum certificate (Castro and Liskov, "Practical Byzantine Fault Tolerance", OSDI
 * 1999; stake-weighted as in DESIGN.md section 5). Any two certificates for the same sequence share
 * an honest signer, so a certified commit is final.
 */
public record CommitCertificate(byte[] commitHash, List<CommitSignature> signatures) {
  public CommitCertificate {
    if (commitHash.length != 32) {
      throw new IllegalArgumentException("commit hash must be 32 bytes");
    }
    commitHash = commitHash.clone();
    signatures = List.copyOf(signatures);
  }

  /** Why a certificate is not valid, or {@code null} when it is. */
  public String check(Committee committee) {
    Set<String> seen = new HashSet<>();
    long signed = 0;
    for (CommitSignature s : signatures) {
      String key = HexFormat.of().formatHex(s.validator());
      if (!seen.add(key)) {
        return "validator " + key + " signed twice";
      }
      long stake = committee.stakeOf(s.validator());
      if (stake == 0) {
        return "signer " + key + " is not in the committee";
      }
      if (!s.verify(commitHash)) {
        return "signature of validator " + key + " does not verify";
      }
      signed += stake;
    }
    if (!committee.isQuorum(signed)) {
      return "signed stake "
          + signed
          + " of "
          + committee.totalStake()
          + " is not more than two thirds";
    }
    return null;
  }

  /** The stake that signed (members only, each once). */
  public long signedStake(Committee committee) {
    Set<String> seen = new HashSet<>();
    long signed = 0;
    for (CommitSignature s : signatures) {
      if (seen.add(HexFormat.of().formatHex(s.validator()))) {
        signed += committee.stakeOf(s.validator());
      }
    }
    return signed;
  }

  /**
   * Collects validators' signatures of one commit hash until they form a quorum. Invalid, foreign
   * and duplicate signatures are refused one by one.
   */
  public static final class Collector {
    private final Committee committee;
    private final byte[] commitHash;
    private final List<CommitSignature> accepted = new ArrayList<>();
    private final Set<String> signers = new HashSet<>();
    private long stake;

    public Collector(Committee committee, byte[] commitHash) {
      this.committee = committee;
      this.commitHash = commitHash.clone();
    }

    /** Adds one signature; returns false when it is refused. */
    public boolean add(CommitSignature signature) {
      long s = committee.stakeOf(signature.validator());
      if (s == 0
          || !signature.verify(commitHash)
          || !signers.add(HexFormat.of().formatHex(signature.validator()))) {
        return false;
      }
      accepted.add(signature);
      stake += s;
      return true;
    }

    /** Whether this collector is for the commit whose hash is {@code hash}. */
    public boolean isFor(byte[] hash) {
      return java.util.Arrays.equals(commitHash, hash);
    }

    public boolean isComplete() {
      return committee.isQuorum(stake);
    }

    /** The certificate, once complete. */
    public CommitCertificate certificate() {
      if (!isComplete()) {
        throw new IllegalStateException(
            "no quorum yet: " + stake + " of " + committee.totalStake());
      }
      return new CommitCertificate(commitHash, accepted);
    }
  }
}
