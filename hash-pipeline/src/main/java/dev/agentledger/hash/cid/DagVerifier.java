package dev.agentledger.hash.cid;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * Verifies a Merkle DAG given its blocks: starting from the root, every reachable link must resolve
 * to a block whose SHA-256 matches the link's digest; dag-cbor blocks must decode under the strict
 * deterministic rules and their links are followed; raw blocks are leaves. Shared sub-DAGs are
 * checked once.
 */
public final class DagVerifier {
  /** The outcome: {@code ok}, the number of distinct blocks checked, and the first problem. */
  public record Result(boolean ok, int blocks, String problem) {}

  private DagVerifier() {}

  /**
   * @param blocks looks up a block by CID; returns null when the block is missing
   */
  public static Result verify(Cid root, Function<Cid, byte[]> blocks) {
    Set<Cid> seen = new HashSet<>();
    ArrayDeque<Cid> pending = new ArrayDeque<>();
    pending.add(root);
    seen.add(root);
    while (!pending.isEmpty()) {
      Cid cid = pending.poll();
      byte[] block = blocks.apply(cid);
      if (block == null) {
        return new Result(false, seen.size(), "missing block " + cid);
      }
      if (!cid.matches(block)) {
        return new Result(false, seen.size(), "block does not hash to " + cid);
      }
      switch (cid.codec()) {
        case Cid.RAW -> {}
        case Cid.DAG_CBOR -> {
          Object value;
          try {
            value = DagCbor.decode(block);
          } catch (IllegalArgumentException e) {
            return new Result(
                false,
                seen.size(),
                "block " + cid + " is not deterministic DAG-CBOR: " + e.getMessage());
          }
          for (Cid link : DagCbor.links(value)) {
            if (seen.add(link)) {
              pending.add(link);
            }
          }
        }
        default -> {
          return new Result(
              false,
              seen.size(),
              "unsupported codec 0x" + Integer.toHexString(cid.codec()) + " in " + cid);
        }
      }
    }
    return new Result(true, seen.size(), null);
  }
}
