package dev.agentledger.node.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The validators of a chain and their stakes: what a commit certificate is checked against. A set
 * of signers is a quorum when it holds more than two thirds of the stake ({@code 3 * signed > 2 *
 * total}, exact). The committee file is JSON:
 *
 * <pre>{"chainId":7,"validators":[{"publicKey":"&lt;64 hex&gt;","stake":10}, ...]}</pre>
 */
public record Committee(int chainId, List<Member> validators) {
  /** One validator: its Ed25519 public key and a positive stake. */
  public record Member(byte[] publicKey, long stake) {
    public Member {
      if (publicKey.length != 32) {
        throw new IllegalArgumentException("validator key must be 32 bytes");
      }
      if (stake <= 0) {
        throw new IllegalArgumentException("validator stake must be positive");
      }
      publicKey = publicKey.clone();
    }
  }

  /** Total stake is below 2^61, so {@code 3 * stake} never overflows. */
  public static final long MAX_TOTAL_STAKE = 1L << 61;

  public Committee {
    validators = List.copyOf(validators);
    if (validators.isEmpty()) {
      throw new IllegalArgumentException("a committee needs at least one validator");
    }
    Set<String> keys = new HashSet<>();
    long total = 0;
    for (Member m : validators) {
      if (!keys.add(HexFormat.of().formatHex(m.publicKey()))) {
        throw new IllegalArgumentException("duplicate validator key");
      }
      total = Math.addExact(total, m.stake());
    }
    if (total >= MAX_TOTAL_STAKE) {
      throw new IllegalArgumentException("total stake must be below 2^61");
    }
  }

  public long totalStake() {
    long total = 0;
    for (Member m : validators) {
      total += m.stake();
    }
    return total;
  }

  /** The stake of {@code publicKey}, or 0 when it is not a member. */
  public long stakeOf(byte[] publicKey) {
    for (Member m : validators) {
      if (java.util.Arrays.equals(m.publicKey(), publicKey)) {
        return m.stake();
      }
    }
    return 0;
  }

  /** True when {@code signedStake} is more than two thirds of the total. */
  public boolean isQuorum(long signedStake) {
    return 3 * signedStake > 2 * totalStake();
  }

  public String toJson() {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("chainId", Integer.toUnsignedLong(chainId));
    ArrayNode list = root.putArray("validators");
    for (Member m : validators) {
      list.addObject()
          .put("publicKey", HexFormat.of().formatHex(m.publicKey()))
          .put("stake", m.stake());
    }
    return root.toString();
  }

  /** Parses a committee file; throws {@link IllegalArgumentException} with the reason. */
  public static Committee fromJson(String json) {
    JsonNode root = StrictJson.parse(json);
    StrictJson.fields(root, "committee", "chainId", "validators");
    long chainId = StrictJson.unsignedLong(root, "chainId");
    if (chainId > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("chainId must fit in 32 bits");
    }
    List<Member> members = new ArrayList<>();
    for (JsonNode v : StrictJson.array(root, "validators")) {
      StrictJson.fields(v, "validator", "publicKey", "stake");
      members.add(
          new Member(StrictJson.hex(v, "publicKey", 32), StrictJson.unsignedLong(v, "stake")));
    }
    return new Committee((int) chainId, members);
  }
}
