package dev.agentledger.node.net;

import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.tx.AgentRunDescriptor;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The frame layout and every message layout (offsets, lengths, bounds) with the encoders. All
 * integers little-endian. On the stream a frame is {@code u32 length || frame}, where {@code
 * length} counts the frame bytes; a frame is a 4-byte header and the payload:
 *
 * <pre>
 *   header:  u8 protocol_version (1) | u8 message_type | u16 flags (must be 0)
 *   SUBMIT         u64 request_id | u16 n (1..256) | n x slot[326] (TransactionSlot)       10+326n
 *   SUBMIT_RESULT  u64 request_id | u16 n (1..256) | n x u8 status                       10+n
 *   STATUS_REQUEST u64 request_id                                                        8
 *   STATUS_RESPONSE u64 request_id | u16 n (0..16384) | n bytes UTF-8 JSON               10+n
 *   BATCH          u16 author | u64 seq | digest[32] | u32 n (1..4096) | n x AgentRun    46+326n
 *   BATCH_ACK      u16 author | u64 seq | digest[32] | u16 signer | signature[64]        108
 *   BATCH_CERT     u16 author | u64 seq | digest[32] | u32 tx_count | u16 n (1..256)
 *                  | n x (u16 signer | signature[64]), signers strictly increasing       48+66n
 *   BATCH_REQUEST  u16 author | u64 seq | digest[32]                                     42
 *   TX_QUERY       u64 request_id | u16 n (1..256) | n x tx_id[32]                       10+32n
 *   TX_WHERE       u64 request_id | u16 n (1..32) | n x record[RECORD]                   10+RECORD*n
 *   CONSENSUS      u8 kind (1..6) | body (ConsensusCodec), 1..MAX_CONSENSUS bytes; the body
 *                  is decoded strictly (bounded counts, exact length) before the primary sees it
 *   COMMIT_SIG     u64 sequence | commit_hash[32] | signature[64]; the signer is the
 *                  authenticated peer                                                    104
 *   COMMIT_SIG_REQUEST u64 from_sequence | u16 n (1..256)                                10
 *   SUBSCRIBE      u64 request_id | u64 from_sequence (0: the next commit) | u16 n (0..256)
 *                  | n x agent_key[32] (n = 0: every transaction)                         18+32n
 *   FEED           u64 request_id | u64 sequence | u32 commit_tx_count | u16 n (0..256)
 *                  | u8 flags (LAST 1, SUBSCRIBED 2) | n x (tx_id[32] | u32 index | u16 code) 23+38n
 *   FEED_END       u64 request_id | u16 reason (FeedEndReason) | u16 n (0..1024) | n B UTF-8 12+n
 * </pre>
 *
 * A SUBMIT whose length and count are consistent but whose count exceeds 256 is answered with a
 * SUBMIT_RESULT for its request id carrying ONE status, {@code TOO_MANY_RECORDS}, and the
 * connection stays open; any other frame over the bound ends the connection (client port) or is
 * dropped with a warning (an authenticated validator link).
 *
 * <p>TX_QUERY is answered with a STATUS_RESPONSE whose JSON is {@code {"committed":[a, ...]}}, one
 * answer per id in order: the consensus commit index (0 or more) once that commit is executed here,
 * -1 not ordered (pending or unknown here), -3 ordered and not yet executed here, -2 expired (this
 * validator accepted it and then dropped it unbatched: held past {@code --held-expiry-ms} for an
 * earlier nonce of its signer that never arrived; resubmit it after its predecessors).
 *
 * <p>TX_WHERE is answered with a STATUS_RESPONSE whose JSON is {@code {"where":["...", ...]}}, one
 * line of text per record in order, saying where this validator holds that run (for operators; the
 * wording is not a stable interface).
 *
 * <p>{@link #validate} checks a whole frame against these bounds before any handler reads it: a
 * handler may then read every field at its fixed offset without further checks.
 */
public final class Wire {
  private Wire() {}

  static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  public static final byte PROTOCOL_VERSION = 1;
  public static final int LENGTH_FIELD_BYTES = 4;
  public static final int HEADER_LENGTH = 4;
  public static final int VERSION_OFFSET = 0;
  public static final int TYPE_OFFSET = 1;
  public static final int FLAGS_OFFSET = 2;

  public static final int RECORD = AgentRunDescriptor.ENCODED_LENGTH;
  public static final int MAX_SUBMIT_RECORDS = 256;
  public static final int MAX_STATUS_JSON = 16384;
  public static final int MAX_BATCH_RECORDS = 4096;
  public static final int MAX_QUERY_IDS = 256;

  /** Most runs one TX_WHERE asks about. */
  public static final int MAX_WHERE_RECORDS = 32;

  /** Largest CONSENSUS payload. */
  public static final int MAX_CONSENSUS = 1 << 20;

  /** Largest frame on a client link (a full SUBMIT). */
  public static final int MAX_CLIENT_FRAME = HEADER_LENGTH + 10 + MAX_SUBMIT_RECORDS * RECORD;

  /** Largest frame on a validator link (a full BATCH). */
  public static final int MAX_PEER_FRAME = HEADER_LENGTH + 46 + MAX_BATCH_RECORDS * RECORD;

  /**
   * The record count of a frame too long for its port, from its first bytes {@code head} (at least
   * {@code HEADER_LENGTH + BATCH_RECORDS}) and its length: the count of a SUBMIT or BATCH whose
   * length matches that count exactly, else -1 (a frame that lies about its size).
   */
  public static long oversizeRecordCount(byte[] head, long lengthBytes) {
    if (head.length < HEADER_LENGTH + BATCH_RECORDS
        || head[VERSION_OFFSET] != PROTOCOL_VERSION
        || head[FLAGS_OFFSET] != 0
        || head[FLAGS_OFFSET + 1] != 0) {
      return -1;
    }
    UnsafeBuffer view = new UnsafeBuffer(head);
    long count;
    long fixed;
    if (head[TYPE_OFFSET] == MessageType.SUBMIT) {
      count = Short.toUnsignedInt(view.getShort(HEADER_LENGTH + COUNT16, LE));
      fixed = SUBMIT_RECORDS;
    } else if (head[TYPE_OFFSET] == MessageType.BATCH) {
      count = Integer.toUnsignedLong(view.getInt(HEADER_LENGTH + BATCH_COUNT, LE));
      fixed = BATCH_RECORDS;
    } else {
      return -1;
    }
    return lengthBytes == HEADER_LENGTH + fixed + count * RECORD ? count : -1;
  }

  // SUBMIT / SUBMIT_RESULT / STATUS
  public static final int REQUEST_ID = 0;
  public static final int COUNT16 = 8;
  public static final int SUBMIT_RECORDS = 10;
  public static final int RESULT_CODES = 10;
  public static final int STATUS_JSON = 10;
  // BATCH*, common prefix
  public static final int BATCH_AUTHOR = 0;
  public static final int BATCH_SEQ = 2;
  public static final int BATCH_DIGEST = 10;
  public static final int BATCH_COUNT = 42;
  public static final int BATCH_RECORDS = 46;
  public static final int ACK_SIGNER = 42;
  public static final int ACK_SIGNATURE = 44;
  public static final int ACK_LENGTH = 108;
  public static final int CERT_TX_COUNT = 42;
  public static final int CERT_SIG_COUNT = 46;
  public static final int CERT_SIGS = 48;
  public static final int CERT_SIG_ENTRY = 66;
  public static final int REQUEST_LENGTH = 42;
  // COMMIT_SIG / COMMIT_SIG_REQUEST
  public static final int COMMIT_SEQUENCE = 0;
  public static final int COMMIT_HASH = 8;
  public static final int COMMIT_SIGNATURE = 40;
  public static final int COMMIT_SIG_LENGTH = 104;
  public static final int COMMIT_REQUEST_COUNT = 8;
  public static final int COMMIT_REQUEST_LENGTH = 10;
  public static final int MAX_COMMIT_REQUEST = 256;

  // SUBSCRIBE / FEED / FEED_END
  public static final int SUBSCRIBE_FROM = 8;
  public static final int SUBSCRIBE_COUNT = 16;
  public static final int SUBSCRIBE_KEYS = 18;
  public static final int MAX_SUBSCRIBE_KEYS = 256;
  public static final int FEED_SEQUENCE = 8;
  public static final int FEED_TX_COUNT = 16;
  public static final int FEED_COUNT = 20;
  public static final int FEED_FLAGS = 22;
  public static final int FEED_RECEIPTS = 23;
  public static final int FEED_RECEIPT = 38;
  public static final int FEED_RECEIPT_INDEX = 32;
  public static final int FEED_RECEIPT_CODE = 36;
  public static final int MAX_FEED_RECEIPTS = 256;

  /** FEED flag: the last frame of this commit (every receipt of it that the filter passes). */
  public static final int FEED_LAST = 1;

  /**
   * FEED flag: the subscription is live; {@code sequence} is the last commit before the first one
   * it delivers, and the frame holds no receipts.
   */
  public static final int FEED_SUBSCRIBED = 2;

  public static final int FEED_END_REASON = 8;
  public static final int FEED_END_COUNT = 10;
  public static final int FEED_END_TEXT = 12;
  public static final int MAX_FEED_END_TEXT = 1024;

  /** Largest FEED frame. */
  public static final int MAX_FEED_FRAME =
      HEADER_LENGTH + FEED_RECEIPTS + MAX_FEED_RECEIPTS * FEED_RECEIPT;

  /** Why a frame was refused; {@link #OK} when it is well formed. */
  public enum FrameError {
    OK,
    SHORT_HEADER,
    BAD_VERSION,
    BAD_FLAGS,
    UNKNOWN_TYPE,
    BAD_LENGTH,
    BAD_COUNT,
    BAD_CONTENT
  }

  public static byte type(DirectBuffer buffer, int offset) {
    return buffer.getByte(offset + TYPE_OFFSET);
  }

  /**
   * Checks a frame {@code buffer[offset, offset + length)} (header included, length prefix
   * excluded) against the layout above; never reads outside that range and never throws for any
   * content.
   */
  public static FrameError validate(DirectBuffer buffer, int offset, int length) {
    if (length < HEADER_LENGTH || offset < 0 || length > buffer.capacity() - offset) {
      return FrameError.SHORT_HEADER;
    }
    if (buffer.getByte(offset + VERSION_OFFSET) != PROTOCOL_VERSION) {
      return FrameError.BAD_VERSION;
    }
    if (buffer.getShort(offset + FLAGS_OFFSET, LE) != 0) {
      return FrameError.BAD_FLAGS;
    }
    int p = offset + HEADER_LENGTH;
    int n = length - HEADER_LENGTH;
    return switch (buffer.getByte(offset + TYPE_OFFSET)) {
      case MessageType.STATUS_REQUEST -> exact(n, 8);
      case MessageType.BATCH_ACK -> exact(n, ACK_LENGTH);
      case MessageType.BATCH_REQUEST -> exact(n, REQUEST_LENGTH);
      case MessageType.SUBMIT ->
          counted16(buffer, p, n, SUBMIT_RECORDS, RECORD, 1, MAX_SUBMIT_RECORDS);
      case MessageType.SUBMIT_RESULT -> submitResult(buffer, p, n);
      case MessageType.STATUS_RESPONSE ->
          counted16(buffer, p, n, STATUS_JSON, 1, 0, MAX_STATUS_JSON);
      case MessageType.BATCH -> batch(buffer, p, n);
      case MessageType.BATCH_CERT -> certificate(buffer, p, n);
      case MessageType.TX_QUERY -> counted16(buffer, p, n, SUBMIT_RECORDS, 32, 1, MAX_QUERY_IDS);
      case MessageType.TX_WHERE ->
          counted16(buffer, p, n, SUBMIT_RECORDS, RECORD, 1, MAX_WHERE_RECORDS);
      case MessageType.CONSENSUS -> consensus(buffer, p, n);
      case MessageType.COMMIT_SIG -> exact(n, COMMIT_SIG_LENGTH);
      case MessageType.COMMIT_SIG_REQUEST -> commitRequest(buffer, p, n);
      case MessageType.SUBSCRIBE -> subscribe(buffer, p, n);
      case MessageType.FEED -> feed(buffer, p, n);
      case MessageType.FEED_END -> feedEnd(buffer, p, n);
      default -> FrameError.UNKNOWN_TYPE;
    };
  }

  private static FrameError exact(int n, int expected) {
    return n == expected ? FrameError.OK : FrameError.BAD_LENGTH;
  }

  private static FrameError counted16(
      DirectBuffer b, int p, int n, int itemsAt, int itemBytes, int min, int max) {
    if (n < itemsAt) {
      return FrameError.BAD_LENGTH;
    }
    int count = Short.toUnsignedInt(b.getShort(p + COUNT16, LE));
    if (count < min || count > max) {
      return FrameError.BAD_COUNT;
    }
    return n == itemsAt + count * itemBytes ? FrameError.OK : FrameError.BAD_LENGTH;
  }

  private static FrameError submitResult(DirectBuffer b, int p, int n) {
    FrameError e = counted16(b, p, n, RESULT_CODES, 1, 1, MAX_SUBMIT_RECORDS);
    if (e != FrameError.OK) {
      return e;
    }
    int count = Short.toUnsignedInt(b.getShort(p + COUNT16, LE));
    for (int i = 0; i < count; i++) {
      if (TxStatus.fromCode(Byte.toUnsignedInt(b.getByte(p + RESULT_CODES + i))) == null) {
        return FrameError.BAD_CONTENT;
      }
    }
    return FrameError.OK;
  }

  private static FrameError commitRequest(DirectBuffer b, int p, int n) {
    if (n != COMMIT_REQUEST_LENGTH) {
      return FrameError.BAD_LENGTH;
    }
    int count = Short.toUnsignedInt(b.getShort(p + COMMIT_REQUEST_COUNT, LE));
    return count >= 1 && count <= MAX_COMMIT_REQUEST && b.getLong(p + COMMIT_SEQUENCE, LE) > 0
        ? FrameError.OK
        : FrameError.BAD_COUNT;
  }

  private static FrameError subscribe(DirectBuffer b, int p, int n) {
    if (n < SUBSCRIBE_KEYS) {
      return FrameError.BAD_LENGTH;
    }
    int count = Short.toUnsignedInt(b.getShort(p + SUBSCRIBE_COUNT, LE));
    if (count > MAX_SUBSCRIBE_KEYS) {
      return FrameError.BAD_COUNT;
    }
    if (n != SUBSCRIBE_KEYS + count * 32) {
      return FrameError.BAD_LENGTH;
    }
    return b.getLong(p + SUBSCRIBE_FROM, LE) >= 0 ? FrameError.OK : FrameError.BAD_CONTENT;
  }

  private static FrameError feed(DirectBuffer b, int p, int n) {
    if (n < FEED_RECEIPTS) {
      return FrameError.BAD_LENGTH;
    }
    int count = Short.toUnsignedInt(b.getShort(p + FEED_COUNT, LE));
    if (count > MAX_FEED_RECEIPTS) {
      return FrameError.BAD_COUNT;
    }
    if (n != FEED_RECEIPTS + count * FEED_RECEIPT) {
      return FrameError.BAD_LENGTH;
    }
    int flags = Byte.toUnsignedInt(b.getByte(p + FEED_FLAGS));
    if ((flags & ~(FEED_LAST | FEED_SUBSCRIBED)) != 0
        || ((flags & FEED_SUBSCRIBED) != 0 && count != 0)
        || b.getLong(p + FEED_SEQUENCE, LE) < 0) {
      return FrameError.BAD_CONTENT;
    }
    return FrameError.OK;
  }

  private static FrameError feedEnd(DirectBuffer b, int p, int n) {
    if (n < FEED_END_TEXT) {
      return FrameError.BAD_LENGTH;
    }
    int count = Short.toUnsignedInt(b.getShort(p + FEED_END_COUNT, LE));
    if (count > MAX_FEED_END_TEXT) {
      return FrameError.BAD_COUNT;
    }
    if (n != FEED_END_TEXT + count) {
      return FrameError.BAD_LENGTH;
    }
    return FeedEndReason.fromCode(Short.toUnsignedInt(b.getShort(p + FEED_END_REASON, LE))) == null
        ? FrameError.BAD_CONTENT
        : FrameError.OK;
  }

  private static FrameError consensus(DirectBuffer b, int p, int n) {
    if (n < 1 || n > MAX_CONSENSUS) {
      return FrameError.BAD_LENGTH;
    }
    byte kind = b.getByte(p);
    return kind >= 1 && kind <= 6 ? FrameError.OK : FrameError.BAD_CONTENT;
  }

  private static FrameError batch(DirectBuffer b, int p, int n) {
    if (n < BATCH_RECORDS) {
      return FrameError.BAD_LENGTH;
    }
    int author = Short.toUnsignedInt(b.getShort(p + BATCH_AUTHOR, LE));
    if (author >= Committee.MAX_SIZE) {
      return FrameError.BAD_CONTENT;
    }
    long count = Integer.toUnsignedLong(b.getInt(p + BATCH_COUNT, LE));
    if (count < 1 || count > MAX_BATCH_RECORDS) {
      return FrameError.BAD_COUNT;
    }
    return n == BATCH_RECORDS + count * RECORD ? FrameError.OK : FrameError.BAD_LENGTH;
  }

  private static FrameError certificate(DirectBuffer b, int p, int n) {
    if (n < CERT_SIGS) {
      return FrameError.BAD_LENGTH;
    }
    int count = Short.toUnsignedInt(b.getShort(p + CERT_SIG_COUNT, LE));
    if (count < 1 || count > Committee.MAX_SIZE) {
      return FrameError.BAD_COUNT;
    }
    if (n != CERT_SIGS + count * CERT_SIG_ENTRY) {
      return FrameError.BAD_LENGTH;
    }
    int previous = -1;
    for (int i = 0; i < count; i++) {
      int signer = Short.toUnsignedInt(b.getShort(p + CERT_SIGS + i * CERT_SIG_ENTRY, LE));
      if (signer <= previous || signer >= Committee.MAX_SIZE) {
        return FrameError.BAD_CONTENT;
      }
      previous = signer;
    }
    long txCount = Integer.toUnsignedLong(b.getInt(p + CERT_TX_COUNT, LE));
    return txCount >= 1 && txCount <= MAX_BATCH_RECORDS ? FrameError.OK : FrameError.BAD_COUNT;
  }

  // ---- encoders: write header + payload at buffer[offset], return the frame length ----------

  public static int header(MutableDirectBuffer b, int offset, byte type) {
    b.putByte(offset + VERSION_OFFSET, PROTOCOL_VERSION);
    b.putByte(offset + TYPE_OFFSET, type);
    b.putShort(offset + FLAGS_OFFSET, (short) 0, LE);
    return HEADER_LENGTH;
  }

  /** SUBMIT header only; the caller writes {@code count} records at {@link #SUBMIT_RECORDS}. */
  public static int submitHeader(MutableDirectBuffer b, int offset, long requestId, int count) {
    int p = offset + header(b, offset, MessageType.SUBMIT);
    b.putLong(p + REQUEST_ID, requestId, LE);
    b.putShort(p + COUNT16, (short) count, LE);
    return HEADER_LENGTH + SUBMIT_RECORDS + count * RECORD;
  }

  /**
   * SUBMIT_RESULT header; the caller writes {@code count} status bytes at {@link #RESULT_CODES}.
   */
  public static int submitResultHeader(
      MutableDirectBuffer b, int offset, long requestId, int count) {
    int p = offset + header(b, offset, MessageType.SUBMIT_RESULT);
    b.putLong(p + REQUEST_ID, requestId, LE);
    b.putShort(p + COUNT16, (short) count, LE);
    return HEADER_LENGTH + RESULT_CODES + count;
  }

  public static int statusRequest(MutableDirectBuffer b, int offset, long requestId) {
    int p = offset + header(b, offset, MessageType.STATUS_REQUEST);
    b.putLong(p + REQUEST_ID, requestId, LE);
    return HEADER_LENGTH + 8;
  }

  public static int statusResponse(MutableDirectBuffer b, int offset, long requestId, byte[] json) {
    if (json.length > MAX_STATUS_JSON) {
      throw new IllegalArgumentException("status JSON too long: " + json.length);
    }
    int p = offset + header(b, offset, MessageType.STATUS_RESPONSE);
    b.putLong(p + REQUEST_ID, requestId, LE);
    b.putShort(p + COUNT16, (short) json.length, LE);
    b.putBytes(p + STATUS_JSON, json);
    return HEADER_LENGTH + STATUS_JSON + json.length;
  }

  /** BATCH header; the caller writes {@code count} records at {@link #BATCH_RECORDS}. */
  public static int batchHeader(
      MutableDirectBuffer b, int offset, int author, long seq, byte[] digest, int count) {
    int p = offset + header(b, offset, MessageType.BATCH);
    b.putShort(p + BATCH_AUTHOR, (short) author, LE);
    b.putLong(p + BATCH_SEQ, seq, LE);
    b.putBytes(p + BATCH_DIGEST, digest, 0, 32);
    b.putInt(p + BATCH_COUNT, count, LE);
    return HEADER_LENGTH + BATCH_RECORDS + count * RECORD;
  }

  public static int batchAck(
      MutableDirectBuffer b,
      int offset,
      int author,
      long seq,
      byte[] digest,
      int signer,
      byte[] signature) {
    int p = offset + header(b, offset, MessageType.BATCH_ACK);
    b.putShort(p + BATCH_AUTHOR, (short) author, LE);
    b.putLong(p + BATCH_SEQ, seq, LE);
    b.putBytes(p + BATCH_DIGEST, digest, 0, 32);
    b.putShort(p + ACK_SIGNER, (short) signer, LE);
    b.putBytes(p + ACK_SIGNATURE, signature, 0, 64);
    return HEADER_LENGTH + ACK_LENGTH;
  }

  /** TX_QUERY header; the caller writes {@code count} ids at {@link #SUBMIT_RECORDS}. */
  public static int txQueryHeader(MutableDirectBuffer b, int offset, long requestId, int count) {
    int p = offset + header(b, offset, MessageType.TX_QUERY);
    b.putLong(p + REQUEST_ID, requestId, LE);
    b.putShort(p + COUNT16, (short) count, LE);
    return HEADER_LENGTH + SUBMIT_RECORDS + count * 32;
  }

  /** TX_WHERE header; the caller writes {@code count} records at {@link #SUBMIT_RECORDS}. */
  public static int txWhereHeader(MutableDirectBuffer b, int offset, long requestId, int count) {
    int p = offset + header(b, offset, MessageType.TX_WHERE);
    b.putLong(p + REQUEST_ID, requestId, LE);
    b.putShort(p + COUNT16, (short) count, LE);
    return HEADER_LENGTH + SUBMIT_RECORDS + count * RECORD;
  }

  /** A CONSENSUS frame around an encoded consensus message. */
  public static int consensus(MutableDirectBuffer b, int offset, byte[] body) {
    int p = offset + header(b, offset, MessageType.CONSENSUS);
    b.putBytes(p, body);
    return HEADER_LENGTH + body.length;
  }

  public static int batchRequest(
      MutableDirectBuffer b, int offset, int author, long seq, byte[] digest) {
    int p = offset + header(b, offset, MessageType.BATCH_REQUEST);
    b.putShort(p + BATCH_AUTHOR, (short) author, LE);
    b.putLong(p + BATCH_SEQ, seq, LE);
    b.putBytes(p + BATCH_DIGEST, digest, 0, 32);
    return HEADER_LENGTH + REQUEST_LENGTH;
  }

  /** A COMMIT_SIG: this validator's signature of commit {@code sequence} with hash {@code hash}. */
  public static int commitSignature(
      MutableDirectBuffer b, int offset, long sequence, byte[] hash, byte[] signature) {
    int p = offset + header(b, offset, MessageType.COMMIT_SIG);
    b.putLong(p + COMMIT_SEQUENCE, sequence, LE);
    b.putBytes(p + COMMIT_HASH, hash, 0, 32);
    b.putBytes(p + COMMIT_SIGNATURE, signature, 0, 64);
    return HEADER_LENGTH + COMMIT_SIG_LENGTH;
  }

  /** A COMMIT_SIG_REQUEST for the signatures of commits {@code [from, from + count)}. */
  public static int commitSignatureRequest(
      MutableDirectBuffer b, int offset, long from, int count) {
    int p = offset + header(b, offset, MessageType.COMMIT_SIG_REQUEST);
    b.putLong(p + COMMIT_SEQUENCE, from, LE);
    b.putShort(p + COMMIT_REQUEST_COUNT, (short) count, LE);
    return HEADER_LENGTH + COMMIT_REQUEST_LENGTH;
  }

  /** SUBSCRIBE header; the caller writes {@code count} agent keys at {@link #SUBSCRIBE_KEYS}. */
  public static int subscribeHeader(
      MutableDirectBuffer b, int offset, long requestId, long fromSequence, int count) {
    int p = offset + header(b, offset, MessageType.SUBSCRIBE);
    b.putLong(p + REQUEST_ID, requestId, LE);
    b.putLong(p + SUBSCRIBE_FROM, fromSequence, LE);
    b.putShort(p + SUBSCRIBE_COUNT, (short) count, LE);
    return HEADER_LENGTH + SUBSCRIBE_KEYS + count * 32;
  }

  /**
   * FEED header; the caller writes {@code count} receipts of {@link #FEED_RECEIPT} bytes at {@link
   * #FEED_RECEIPTS}.
   */
  public static int feedHeader(
      MutableDirectBuffer b,
      int offset,
      long requestId,
      long sequence,
      int commitTxCount,
      int count,
      int flags) {
    int p = offset + header(b, offset, MessageType.FEED);
    b.putLong(p + REQUEST_ID, requestId, LE);
    b.putLong(p + FEED_SEQUENCE, sequence, LE);
    b.putInt(p + FEED_TX_COUNT, commitTxCount, LE);
    b.putShort(p + FEED_COUNT, (short) count, LE);
    b.putByte(p + FEED_FLAGS, (byte) flags);
    return HEADER_LENGTH + FEED_RECEIPTS + count * FEED_RECEIPT;
  }

  /** A FEED_END with {@code text} cut to {@link #MAX_FEED_END_TEXT} bytes. */
  public static int feedEnd(
      MutableDirectBuffer b, int offset, long requestId, FeedEndReason reason, byte[] text) {
    int n = Math.min(text.length, MAX_FEED_END_TEXT);
    int p = offset + header(b, offset, MessageType.FEED_END);
    b.putLong(p + REQUEST_ID, requestId, LE);
    b.putShort(p + FEED_END_REASON, (short) reason.code(), LE);
    b.putShort(p + FEED_END_COUNT, (short) n, LE);
    b.putBytes(p + FEED_END_TEXT, text, 0, n);
    return HEADER_LENGTH + FEED_END_TEXT + n;
  }
}
