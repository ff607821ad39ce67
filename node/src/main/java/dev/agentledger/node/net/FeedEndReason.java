package dev.agentledger.node.net;

/** Why a node ended a commit-feed subscription (the reason code of a FEED_END frame). */
public enum FeedEndReason {
  /** The subscriber left more receipts unread than its buffer holds; it may resume. */
  SLOW_SUBSCRIBER(1),
  /** The node serves as many subscriptions as it allows. */
  TOO_MANY_SUBSCRIBERS(2),
  /** The node is shutting down. */
  CLOSING(3),
  /** The request cannot be served (for example a malformed agent key). */
  BAD_REQUEST(4);

  private final int code;

  FeedEndReason(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The reason of {@code code}, or null. */
  public static FeedEndReason fromCode(int code) {
    for (FeedEndReason r : values()) {
      if (r.code == code) {
        return r;
      }
    }
    return null;
  }
}
