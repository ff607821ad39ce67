package dev.agentledger.node.committee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.node.json.StrictJson;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The validators of one shard for one epoch: the one committee model of the node. The network
 * authenticates peers and finds their addresses with it, consensus weighs votes and picks leaders
 * with it, workers and execution check batch and commit certificates against it, and a client
 * checks proofs offline against its file form ({@link #toJson()}). It is built from the genesis
 * ({@code config.Genesis#committee}).
 *
 * <p>Validator index = position in the list (the genesis order). Quorums are stake-weighted
 * (DESIGN.md §5): a certificate needs strictly more than 2/3 of the total stake ({@link #isQuorum},
 * {@link #quorumThreshold()}); availability and anchor support need more than 1/3 ({@link
 * #validityThreshold()}), so with less than 1/3 of the stake Byzantine any two quorums share an
 * honest validator. The stake of a validator is the sum of the delegations to it (DPoS) when they
 * are listed.
 *
 * <p>The file form, checked strictly (unknown fields, duplicate keys, odd hex are refused):
 *
 * <pre>{"chainId":7,"validators":[{"publicKey":"&lt;64 hex&gt;","stake":10}, ...]}</pre>
 */
public final class Committee {
  /** Most validators a committee may hold (bounds every per-validator count on the wire). */
  public static final int MAX_SIZE = 256;

  /** Total stake is below 2^61, so {@code 3 * stake} never overflows. */
  public static final long MAX_TOTAL_STAKE = 1L << 61;

  /** One delegation of {@code amount} stake units from {@code delegator} (any account id). */
  public record Delegation(String delegator, long amount) {
    public Delegation {
      Objects.requireNonNull(delegator, "delegator");
      if (amount <= 0) {
        throw new IllegalArgumentException("a delegation is positive, got " + amount);
      }
    }
  }

  /**
   * One validator: its index in the committee, name, Ed25519 public key, stake, the delegations
   * behind the stake (empty when not known, as in the file form), and where to reach it ({@code
   * host} empty and ports 0 when not known, as in the file form or the simulator).
   */
  public record Validator(
      int index,
      String name,
      byte[] publicKey,
      long stake,
      List<Delegation> delegations,
      String host,
      int peerPort,
      int clientPort) {
    public Validator {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(publicKey, "publicKey");
      Objects.requireNonNull(host, "host");
      if (publicKey.length != 32) {
        throw new IllegalArgumentException("validator " + name + ": public key must be 32 bytes");
      }
      if (stake <= 0) {
        throw new IllegalArgumentException("validator " + name + " has no stake: " + stake);
      }
      delegations = List.copyOf(delegations);
      if (!delegations.isEmpty()) {
        long sum = 0;
        for (Delegation d : delegations) {
          sum = Math.addExact(sum, d.amount());
        }
        if (sum != stake) {
          throw new IllegalArgumentException(
              "validator " + name + ": delegations sum to " + sum + " but stake is " + stake);
        }
      }
      publicKey = publicKey.clone();
    }

    /** A validator known by key and stake alone (the file form, tests). */
    public Validator(int index, byte[] publicKey, long stake) {
      this(index, "v" + index, publicKey, stake, List.of(), "", 0, 0);
    }

    /** A validator with its delegations and no address (the consensus core, the simulator). */
    public Validator(
        int index, String name, byte[] publicKey, long stake, List<Delegation> delegations) {
      this(index, name, publicKey, stake, delegations, "", 0, 0);
    }

    /** A copy of the key. */
    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Validator v
          && index == v.index
          && stake == v.stake
          && peerPort == v.peerPort
          && clientPort == v.clientPort
          && name.equals(v.name)
          && host.equals(v.host)
          && Arrays.equals(publicKey, v.publicKey)
          && delegations.equals(v.delegations);
    }

    @Override
    public int hashCode() {
      return Objects.hash(index, name, Arrays.hashCode(publicKey), stake, host, peerPort);
    }

    @Override
    public String toString() {
      return "Validator["
          + index
          + " "
          + name
          + " "
          + HexFormat.of().formatHex(publicKey, 0, 4)
          + "… stake="
          + stake
          + (host.isEmpty() ? "" : " " + host + ":" + peerPort)
          + "]";
    }
  }

  private final int chainId;
  private final long epoch;
  private final Validator[] validators;
  private final byte[][] keys;
  private final long totalStake;
  private final long quorumThreshold;
  private final long validityThreshold;

  /**
   * A committee of {@code chainId} for {@code epoch}; validator {@code i} must have index {@code
   * i}, keys must be distinct, and the total stake below {@link #MAX_TOTAL_STAKE}.
   */
  public Committee(int chainId, long epoch, List<Validator> validators) {
    if (validators.isEmpty() || validators.size() > MAX_SIZE) {
      throw new IllegalArgumentException(
          "committee size must be 1.." + MAX_SIZE + ": " + validators.size());
    }
    this.chainId = chainId;
    this.epoch = epoch;
    this.validators = validators.toArray(new Validator[0]);
    this.keys = new byte[this.validators.length][];
    long total = 0;
    for (int i = 0; i < this.validators.length; i++) {
      Validator v = this.validators[i];
      if (v.index() != i) {
        throw new IllegalArgumentException(
            "validator at position " + i + " has index " + v.index());
      }
      keys[i] = v.publicKey();
      for (int j = 0; j < i; j++) {
        if (Arrays.equals(keys[i], keys[j])) {
          throw new IllegalArgumentException("duplicate validator key: index " + j + " and " + i);
        }
      }
      total = Math.addExact(total, v.stake());
    }
    if (total >= MAX_TOTAL_STAKE) {
      throw new IllegalArgumentException("total stake must be below 2^61");
    }
    this.totalStake = total;
    this.quorumThreshold = 2 * total / 3 + 1;
    this.validityThreshold = total / 3 + 1;
  }

  /**
   * One validator per key, in index order, each backed by one self-delegation: tests, benchmarks
   * and the JIT warm-up.
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
    return new Committee(0, epoch, list);
  }

  /** The network id that signatures of this chain cover. */
  public int chainId() {
    return chainId;
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

  /** The validators in index order. */
  public List<Validator> validators() {
    return List.of(validators);
  }

  public boolean isMember(int index) {
    return index >= 0 && index < validators.length;
  }

  public long stake(int index) {
    return validators[index].stake();
  }

  /** A copy of validator {@code index}'s key. */
  public byte[] publicKey(int index) {
    return keys[index].clone();
  }

  /** Copies validator {@code index}'s key to {@code dst[offset, +32)} (no allocation). */
  public void copyKey(int index, byte[] dst, int offset) {
    System.arraycopy(keys[index], 0, dst, offset, 32);
  }

  /** The index of the validator with key {@code key[offset, +32)}, or -1 (no allocation). */
  public int indexOf(byte[] key, int offset) {
    for (int i = 0; i < keys.length; i++) {
      if (Arrays.equals(keys[i], 0, 32, key, offset, offset + 32)) {
        return i;
      }
    }
    return -1;
  }

  /** The stake of {@code publicKey}, or 0 when it is not a member. */
  public long stakeOf(byte[] publicKey) {
    int index = publicKey.length == 32 ? indexOf(publicKey, 0) : -1;
    return index < 0 ? 0 : validators[index].stake();
  }

  public long totalStake() {
    return totalStake;
  }

  /** True when {@code stake} is strictly more than two thirds of the total. */
  public boolean isQuorum(long stake) {
    return stake >= quorumThreshold;
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

  /** The file form: chain id, and each validator's key and stake in index order. */
  public String toJson() {
    ObjectMapper mapper = StrictJson.mapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("chainId", Integer.toUnsignedLong(chainId));
    ArrayNode list = root.putArray("validators");
    for (Validator v : validators) {
      list.addObject()
          .put("publicKey", HexFormat.of().formatHex(v.publicKey))
          .put("stake", v.stake());
    }
    return root.toString();
  }

  /** Parses the file form; throws {@link IllegalArgumentException} with the reason. */
  public static Committee fromJson(String json) {
    JsonNode root = StrictJson.parse(json);
    StrictJson.fields(root, "committee", "chainId", "validators");
    long chainId = StrictJson.unsignedLong(root, "chainId");
    if (chainId > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("chainId must fit in 32 bits");
    }
    List<Validator> validators = new ArrayList<>();
    for (JsonNode v : StrictJson.array(root, "validators")) {
      StrictJson.fields(v, "validator", "publicKey", "stake");
      validators.add(
          new Validator(
              validators.size(),
              StrictJson.hex(v, "publicKey", 32),
              StrictJson.unsignedLong(v, "stake")));
    }
    return new Committee((int) chainId, 0, validators);
  }

  /** The same validators under another chain id (tests of cross-chain replay). */
  public Committee withChainId(int otherChainId) {
    return new Committee(otherChainId, epoch, List.of(validators));
  }

  @Override
  public String toString() {
    return "Committee{chainId="
        + Integer.toUnsignedString(chainId)
        + ", epoch="
        + epoch
        + ", stakes="
        + Arrays.toString(Arrays.stream(validators).mapToLong(Validator::stake).toArray())
        + "}";
  }
}
