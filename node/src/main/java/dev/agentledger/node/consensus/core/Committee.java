package dev.agentledger.node.consensus.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The validators of one epoch, their Ed25519 keys and their stake (delegated proof of stake: the
 * stake of a validator is the sum of the delegations to it). Quorums are by stake, not by count: a
 * certificate needs more than 2/3 of the total stake ({@link #quorumThreshold()}), anchor support
 * and availability need more than 1/3 ({@link #validityThreshold()}), so with less than 1/3 of the
 * stake Byzantine any two quorums share an honest validator.
 */
public final class Committee {
  /** One delegation of {@code amount} stake units from {@code delegator} (any account id). */
  public record Delegation(String delegator, long amount) {
    public Delegation {
      Objects.requireNonNull(delegator, "delegator");
      if (amount <= 0) {
        throw new IllegalArgumentException("a delegation is positive, got " + amount);
      }
    }
  }

  /** One validator: its index in the committee, public key, stake and the delegations behind it. */
  public record Validator(
      int index, String name, byte[] publicKey, long stake, List<Delegation> delegations) {
    public Validator {
      Objects.requireNonNull(publicKey, "publicKey");
      delegations = List.copyOf(delegations);
      long sum = 0;
      for (Delegation d : delegations) {
        sum = Math.addExact(sum, d.amount());
      }
      if (sum != stake) {
        throw new IllegalArgumentException(
            "validator " + name + ": delegations sum to " + sum + " but stake is " + stake);
      }
      if (stake <= 0) {
        throw new IllegalArgumentException("validator " + name + " has no stake");
      }
    }
  }

  private final long epoch;
  private final Validator[] validators;
  private final long totalStake;
  private final long quorumThreshold;
  private final long validityThreshold;

  /** A committee for {@code epoch}; validator {@code i} must have index {@code i}. */
  public Committee(long epoch, List<Validator> validators) {
    if (validators.isEmpty()) {
      throw new IllegalArgumentException("a committee has at least one validator");
    }
    this.epoch = epoch;
    this.validators = validators.toArray(new Validator[0]);
    long total = 0;
    for (int i = 0; i < this.validators.length; i++) {
      if (this.validators[i].index() != i) {
        throw new IllegalArgumentException(
            "validator at position " + i + " has index " + this.validators[i].index());
      }
      total = Math.addExact(total, this.validators[i].stake());
    }
    this.totalStake = total;
    this.quorumThreshold = 2 * total / 3 + 1;
    this.validityThreshold = total / 3 + 1;
  }

  /**
   * Genesis helper: one validator per stake entry, each backed by one self-delegation, keys given
   * in index order.
   */
  public static Committee ofStakes(long epoch, List<byte[]> publicKeys, long[] stakes) {
    if (publicKeys.size() != stakes.length) {
      throw new IllegalArgumentException("keys and stakes differ in length");
    }
    List<Validator> list = new ArrayList<>();
    for (int i = 0; i < stakes.length; i++) {
      list.add(
          new Validator(
              i,
              "v" + i,
              publicKeys.get(i),
              stakes[i],
              List.of(new Delegation("self-" + i, stakes[i]))));
    }
    return new Committee(epoch, list);
  }

  public long epoch() {
    return epoch;
  }

  public int size() {
    return validators.length;
  }

  public Validator validator(int index) {
    return validators[index];
  }

  public boolean isMember(int index) {
    return index >= 0 && index < validators.length;
  }

  public long stake(int index) {
    return validators[index].stake();
  }

  public byte[] publicKey(int index) {
    return validators[index].publicKey();
  }

  public long totalStake() {
    return totalStake;
  }

  /** Smallest stake that is more than 2/3 of the total. */
  public long quorumThreshold() {
    return quorumThreshold;
  }

  /** Smallest stake that is more than 1/3 of the total (at least one honest validator). */
  public long validityThreshold() {
    return validityThreshold;
  }

  /** The largest stake that may be faulty: less than 1/3 of the total. */
  public long maxFaultyStake() {
    return validityThreshold - 1;
  }

  @Override
  public String toString() {
    return "Committee{epoch="
        + epoch
        + ", stakes="
        + Arrays.toString(Arrays.stream(validators).mapToLong(Validator::stake).toArray())
        + "}";
  }
}
