package dev.agentledger.node.net;

/**
 * Message types of the one framed protocol (DESIGN.md section 8), with the bounds every codec
 * enforces. Codes are stable wire values. Peer messages travel only on authenticated validator
 * links; client messages only on the client port.
 */
public final class MessageType {
  private MessageType() {}

  // Codes 1 and 2 are reserved and never reused: validator links authenticate in TLS (net.tls).

  // Client ingress.
  public static final byte SUBMIT = 10;
  public static final byte SUBMIT_RESULT = 11;
  public static final byte STATUS_REQUEST = 12;
  public static final byte STATUS_RESPONSE = 13;

  /**
   * Which commit ordered each of up to 256 transaction ids (-1: not yet; on a node that executes,
   * not until that commit is executed too); answered with a STATUS_RESPONSE (JSON).
   */
  public static final byte TX_QUERY = 14;

  /**
   * Subscribes the connection to the commit feed: receipts of committed transactions, all of them
   * or those of a set of agents, from a commit sequence on; answered with FEED frames until a
   * FEED_END.
   */
  public static final byte SUBSCRIBE = 15;

  /** Receipts of one committed commit (or part of one) for a subscriber, node to client. */
  public static final byte FEED = 16;

  /** The node ended a subscription, with a {@link FeedEndReason} and a text; node to client. */
  public static final byte FEED_END = 17;

  /**
   * Where each of up to {@value Wire#MAX_WHERE_RECORDS} runs, given by their records, sits at this
   * validator (committed, ordered, expired, in the mempool, in an own batch, ...), one line per
   * run; answered with a STATUS_RESPONSE (JSON), for operators looking for an accepted run.
   */
  public static final byte TX_WHERE = 18;

  // Worker to worker (Narwhal data dissemination).
  public static final byte BATCH = 20;
  public static final byte BATCH_ACK = 21;
  public static final byte BATCH_CERT = 22;
  public static final byte BATCH_REQUEST = 23;

  // Primary to primary (DAG consensus): one type, the body is a ConsensusCodec message.
  public static final byte CONSENSUS = 30;

  // Execution, validator to validator: commit signatures (certificates are formed from them).
  /** This validator's signature of one executed commit. */
  public static final byte COMMIT_SIG = 40;

  /** Asks a peer for its signatures of a range of commits (a node catching up after a restart). */
  public static final byte COMMIT_SIG_REQUEST = 41;

  public static boolean isClientRequest(byte type) {
    return type == SUBMIT
        || type == STATUS_REQUEST
        || type == TX_QUERY
        || type == SUBSCRIBE
        || type == TX_WHERE;
  }

  public static boolean isPeerMessage(byte type) {
    return type == BATCH
        || type == BATCH_ACK
        || type == BATCH_CERT
        || type == BATCH_REQUEST
        || type == CONSENSUS
        || type == COMMIT_SIG
        || type == COMMIT_SIG_REQUEST;
  }

  public static String name(byte type) {
    return switch (type) {
      case SUBMIT -> "SUBMIT";
      case SUBMIT_RESULT -> "SUBMIT_RESULT";
      case STATUS_REQUEST -> "STATUS_REQUEST";
      case STATUS_RESPONSE -> "STATUS_RESPONSE";
      case BATCH -> "BATCH";
      case BATCH_ACK -> "BATCH_ACK";
      case BATCH_CERT -> "BATCH_CERT";
      case BATCH_REQUEST -> "BATCH_REQUEST";
      case TX_QUERY -> "TX_QUERY";
      case TX_WHERE -> "TX_WHERE";
      case SUBSCRIBE -> "SUBSCRIBE";
      case FEED -> "FEED";
      case FEED_END -> "FEED_END";
      case CONSENSUS -> "CONSENSUS";
      case COMMIT_SIG -> "COMMIT_SIG";
      case COMMIT_SIG_REQUEST -> "COMMIT_SIG_REQUEST";
      default -> "UNKNOWN(" + type + ")";
    };
  }
}
