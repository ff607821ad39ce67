package dev.agentledger.node.net;

import dev.agentledger.sig.Ed25519;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The validators of one shard as the data path sees them: identity key, stake, and where to reach
 * each one. Validator index = position in the list (the order of the genesis committee). Quorums
 * are stake-weighted: strictly more than 2/3 of the total stake (DESIGN.md section 5).
 */
public final class Committee {
  /** One validator. */
  public record Member(byte[] publicKey, long stake, String host, int peerPort, int clientPort) {
    public Member {
      Objects.requireNonNull(publicKey, "publicKey");
      if (publicKey.length != Ed25519.PUBLIC_KEY_BYTES) {
        throw new IllegalArgumentException("public key must be 32 bytes");
      }
      if (stake <= 0) {
        throw new IllegalArgumentException("stake must be positive: " + stake);
      }
      publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public String toString() {
      return "Member["
          + HexFormat.of().formatHex(publicKey, 0, 4)
          + "… stake="
          + stake
          + " "
          + host
          + ":"
          + peerPort
          + "]";
    }
  }

  /** Most validators a committee may hold (bounds every per-validator count on the wire). */
  public static final int MAX_SIZE = 256;

  private final Member[] members;
  private final byte[][] keys;
  private final long totalStake;

  public Committee(List<Member> members) {
    if (members.isEmpty() || members.size() > MAX_SIZE) {
      throw new IllegalArgumentException(
          "committee size must be 1.." + MAX_SIZE + ": " + members.size());
    }
    this.members = members.toArray(Member[]::new);
    this.keys = new byte[this.members.length][];
    long total = 0;
    for (int i = 0; i < this.members.length; i++) {
      keys[i] = this.members[i].publicKey();
      for (int j = 0; j < i; j++) {
        if (Arrays.equals(keys[i], keys[j])) {
          throw new IllegalArgumentException(
              "validator key appears twice: index " + j + " and " + i);
        }
      }
      total = Math.addExact(total, this.members[i].stake());
    }
    if (total > Long.MAX_VALUE / 3) {
      throw new IllegalArgumentException("total stake too large");
    }
    this.totalStake = total;
  }

  public int size() {
    return members.length;
  }

  public Member member(int index) {
    return members[index];
  }

  public long stake(int index) {
    return members[index].stake();
  }

  public long totalStake() {
    return totalStake;
  }

  /** True when {@code stake} is strictly more than two thirds of the total. */
  public boolean isQuorum(long stake) {
    return stake * 3 > totalStake * 2;
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

  /** The key of validator {@code index}, shared: do not modify. */
  byte[] keyRef(int index) {
    return keys[index];
  }

  public void copyKey(int index, byte[] dst, int offset) {
    System.arraycopy(keys[index], 0, dst, offset, 32);
  }
}
