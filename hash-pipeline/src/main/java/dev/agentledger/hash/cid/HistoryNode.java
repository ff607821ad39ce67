package dev.agentledger.hash.cid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of an agent's execution history as a Merkle DAG: the run it records (transaction id),
 * its position in the agent's sequence, links to the parent history nodes and, optionally, a link
 * to the run's off-chain body (a raw block). Encoded as the DAG-CBOR map {@code {"body": CID?,
 * "parents": [CID...], "run": bytes, "seq": int}}, so its CID commits to the whole history before
 * it.
 */
public record HistoryNode(byte[] run, long seq, List<Cid> parents, Cid body) {
  public HistoryNode {
    run = run.clone();
    parents = List.copyOf(parents);
    if (seq < 0) {
      throw new IllegalArgumentException("negative seq");
    }
  }

  @Override
  public byte[] run() {
    return run.clone();
  }

  /** The DAG-CBOR block. */
  public byte[] encode() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("run", run);
    map.put("seq", seq);
    map.put("parents", new ArrayList<Object>(parents));
    if (body != null) {
      map.put("body", body);
    }
    return DagCbor.encode(map);
  }

  /** The node's content address (dag-cbor codec). */
  public Cid cid() {
    return Cid.of(Cid.DAG_CBOR, encode());
  }

  /** Decodes a block written by {@link #encode()}. */
  public static HistoryNode decode(byte[] block) {
    if (!(DagCbor.decode(block) instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("a history node is a map");
    }
    if (!(map.get("run") instanceof byte[] run)
        || !(map.get("seq") instanceof Long seq)
        || !(map.get("parents") instanceof List<?> list)) {
      throw new IllegalArgumentException(
          "a history node needs run (bytes), seq (int), parents (list)");
    }
    List<Cid> parents = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof Cid cid)) {
        throw new IllegalArgumentException("parents must be links");
      }
      parents.add(cid);
    }
    Object body = map.get("body");
    if (body != null && !(body instanceof Cid)) {
      throw new IllegalArgumentException("body must be a link");
    }
    if (map.size() != (body == null ? 3 : 4)) {
      throw new IllegalArgumentException("unknown fields in a history node");
    }
    return new HistoryNode(run, seq, parents, (Cid) body);
  }
}
