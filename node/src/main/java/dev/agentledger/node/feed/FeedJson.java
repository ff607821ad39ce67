package dev.agentledger.node.feed;

import dev.agentledger.node.net.FeedEndReason;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The Server-Sent Events form of the feed ({@code GET /v1/feed}): one {@code commit} event per
 * commit, its SSE id the commit sequence (so {@code Last-Event-ID} resumes after it), data {@code
 * {"sequence":S,"transactions":N,"receipts":[{"tx":hex,"index":i,"code":"OK"},...]}} with the
 * receipts the filter passes; a {@code subscribed} event first and an {@code end} event with the
 * reason when the node ends the subscription.
 */
public final class FeedJson {
  private FeedJson() {}

  private static final HexFormat HEX = HexFormat.of();

  public static String subscribedEvent(long lastSequenceBefore) {
    return "event: subscribed\ndata: {\"after\":" + lastSequenceBefore + "}\n\n";
  }

  /**
   * The event of {@code commit}'s receipts from index {@code from} on that {@code filter} passes.
   */
  public static String commitEvent(FeedCommit commit, FeedFilter filter, int from) {
    StringBuilder b = new StringBuilder(96 + 100 * (commit.size() - from));
    b.append("id: ")
        .append(commit.sequence())
        .append("\nevent: commit\ndata: {\"sequence\":")
        .append(commit.sequence())
        .append(",\"transactions\":")
        .append(commit.size())
        .append(",\"receipts\":[");
    boolean first = true;
    byte[] txId = new byte[32];
    for (int i = from; i < commit.size(); i++) {
      if (!commit.passes(filter, i)) {
        continue;
      }
      commit.copyTxId(i, txId, 0);
      b.append(first ? "" : ",")
          .append("{\"tx\":\"")
          .append(HEX.formatHex(txId))
          .append("\",\"index\":")
          .append(i)
          .append(",\"code\":\"")
          .append(commit.code(i).name())
          .append("\"}");
      first = false;
    }
    return b.append("]}\n\n").toString();
  }

  public static String endEvent(FeedEndReason reason, String detail) {
    return "event: end\ndata: {\"reason\":\""
        + reason.name().toLowerCase(Locale.ROOT)
        + "\",\"detail\":\""
        + detail.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\"}\n\n";
  }
}
