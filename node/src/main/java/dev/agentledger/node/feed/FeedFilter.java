package dev.agentledger.node.feed;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Which receipts a subscriber gets: every one, or those whose record was signed by one of a set of
 * agent keys. The keys are kept sorted, so a match is a binary search over the record's signer
 * bytes in place (no allocation per receipt).
 */
public final class FeedFilter {
  private static final FeedFilter ALL = new FeedFilter(new byte[0][]);

  private final byte[][] keys;

  private FeedFilter(byte[][] keys) {
    this.keys = keys;
  }

  /** Every receipt. */
  public static FeedFilter all() {
    return ALL;
  }

  /**
   * The receipts of records signed by one of {@code agents} (32-byte keys); an empty list means
   * every receipt.
   */
  public static FeedFilter agents(List<byte[]> agents) {
    if (agents.isEmpty()) {
      return ALL;
    }
    byte[][] keys = new byte[agents.size()][];
    for (int i = 0; i < keys.length; i++) {
      byte[] key = agents.get(i);
      if (key.length != FeedCommit.KEY_LENGTH) {
        throw new IllegalArgumentException(
            "an agent key has " + FeedCommit.KEY_LENGTH + " bytes, got " + key.length);
      }
      keys[i] = key.clone();
    }
    Arrays.sort(keys, Arrays::compareUnsigned);
    return new FeedFilter(keys);
  }

  /** Parses lower- or upper-case hex keys. */
  public static FeedFilter agentsHex(List<String> hex) {
    byte[][] keys = new byte[hex.size()][];
    for (int i = 0; i < keys.length; i++) {
      try {
        keys[i] = HexFormat.of().parseHex(hex.get(i));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("agent key is not hex: " + hex.get(i));
      }
    }
    return agents(Arrays.asList(keys));
  }

  public boolean isAll() {
    return keys.length == 0;
  }

  /** Whether the receipt of {@code record} passes. */
  public boolean matches(byte[] record) {
    return matches(record, 0, record.length);
  }

  /** Whether the receipt of the record {@code bytes[offset, offset + length)} passes. */
  public boolean matches(byte[] bytes, int offset, int length) {
    if (keys.length == 0) {
      return true;
    }
    if (length < FeedCommit.SIGNER_OFFSET + FeedCommit.KEY_LENGTH) {
      return false;
    }
    int from = offset + FeedCommit.SIGNER_OFFSET;
    int to = from + FeedCommit.KEY_LENGTH;
    byte[] record = bytes;
    int low = 0;
    int high = keys.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = Arrays.compareUnsigned(keys[mid], 0, FeedCommit.KEY_LENGTH, record, from, to);
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /** How many receipts of {@code commit} pass. */
  public int count(FeedCommit commit) {
    if (keys.length == 0) {
      return commit.size();
    }
    int n = 0;
    for (int i = 0; i < commit.size(); i++) {
      if (commit.passes(this, i)) {
        n++;
      }
    }
    return n;
  }
}
