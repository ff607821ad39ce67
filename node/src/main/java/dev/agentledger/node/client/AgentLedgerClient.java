package dev.agentledger.node.client;

import dev.agentledger.node.net.FeedEndReason;
import dev.agentledger.node.net.MessageType;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.net.tls.ClientTls;
import dev.agentledger.node.tx.TransactionSlot;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A small blocking client of a node's client port. Requests may be pipelined: {@link #send} from
 * one thread while another calls {@link #readResult}; the node answers in order per connection. Not
 * for concurrent senders. A connection that {@link #subscribe}s to the commit feed then reads
 * {@link #readFeed()} (give the feed a connection of its own).
 */
public final class AgentLedgerClient implements AutoCloseable {
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  /** The node's answer to one SUBMIT. */
  public record SubmitResult(long requestId, List<TxStatus> statuses) {}

  /**
   * One FEED frame: receipts of commit {@code sequence} (which holds {@code commitTxCount}
   * transactions), each a tx id ({@code txIds[32 i, 32 i + 32)}), its index in the commit and its
   * execution code; {@link #last()} when no more receipts of this commit follow.
   */
  public record FeedBatch(
      long sequence, int commitTxCount, int flags, byte[] txIds, int[] indexes, int[] codes) {
    public int count() {
      return indexes.length;
    }

    public boolean last() {
      return (flags & Wire.FEED_LAST) != 0;
    }

    /** The tx id of receipt {@code i} (a copy). */
    public byte[] txId(int i) {
      return java.util.Arrays.copyOfRange(txIds, i * 32, i * 32 + 32);
    }
  }

  /** The node ended the subscription (FEED_END): why, and its text. */
  public static final class FeedEndedException extends IOException {
    private final FeedEndReason reason;

    public FeedEndedException(FeedEndReason reason, String text) {
      super("the node ended the feed: " + reason + ": " + text);
      this.reason = reason;
    }

    public FeedEndReason reason() {
      return reason;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final UnsafeBuffer frame =
      new UnsafeBuffer(new byte[Wire.LENGTH_FIELD_BYTES + Wire.MAX_CLIENT_FRAME]);
  private long nextRequestId = 1;

  private AgentLedgerClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setTcpNoDelay(true);
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
    this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
  }

  public static AgentLedgerClient connect(String host, int port) throws IOException {
    return connect(host, port, null);
  }

  /**
   * Connects to a client port; with {@code tls} (null: plaintext) the TLS handshake completes
   * before this returns, so an untrusted certificate or a wrong host fails here.
   */
  public static AgentLedgerClient connect(String host, int port, ClientTls tls) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), 5_000);
      if (tls != null) {
        socket.setSoTimeout(10_000); // bounds the handshake
        socket = tls.handshake(socket, host, port);
        socket.setSoTimeout(0);
      }
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return new AgentLedgerClient(socket);
  }

  /**
   * Sends one SUBMIT of up to {@link Wire#MAX_SUBMIT_RECORDS} encoded transactions (326-byte runs
   * or 160-byte account operations, each sent in its {@link TransactionSlot}); returns its request
   * id.
   */
  public long send(List<byte[]> records) throws IOException {
    if (records.isEmpty() || records.size() > Wire.MAX_SUBMIT_RECORDS) {
      throw new IllegalArgumentException(
          "1.." + Wire.MAX_SUBMIT_RECORDS + " records per SUBMIT, got " + records.size());
    }
    long requestId = nextRequestId++;
    int at = Wire.LENGTH_FIELD_BYTES;
    int length = Wire.submitHeader(frame, at, requestId, records.size());
    for (int i = 0; i < records.size(); i++) {
      byte[] r;
      try {
        r = TransactionSlot.pad(records.get(i));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("record " + i + ": " + e.getMessage(), e);
      }
      frame.putBytes(at + Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + i * Wire.RECORD, r);
    }
    frame.putInt(0, length, LE);
    out.write(frame.byteArray(), 0, Wire.LENGTH_FIELD_BYTES + length);
    out.flush();
    return requestId;
  }

  /** Blocks for the next SUBMIT_RESULT. */
  public SubmitResult readResult() throws IOException {
    UnsafeBuffer f = readFrame(MessageType.SUBMIT_RESULT);
    long requestId = f.getLong(Wire.HEADER_LENGTH + Wire.REQUEST_ID, LE);
    int count = Short.toUnsignedInt(f.getShort(Wire.HEADER_LENGTH + Wire.COUNT16, LE));
    List<TxStatus> statuses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      statuses.add(
          TxStatus.fromCode(
              Byte.toUnsignedInt(f.getByte(Wire.HEADER_LENGTH + Wire.RESULT_CODES + i))));
    }
    return new SubmitResult(requestId, statuses);
  }

  public List<TxStatus> submit(List<byte[]> records) throws IOException {
    send(records);
    return readResult().statuses();
  }

  /** The node's status JSON. */
  public String status() throws IOException {
    int length = Wire.statusRequest(frame, Wire.LENGTH_FIELD_BYTES, nextRequestId++);
    return new String(askJson(length), StandardCharsets.UTF_8);
  }

  /**
   * Sends the request of {@code length} bytes built in {@link #frame} after its length field and
   * returns the JSON of the node's {@code STATUS_RESPONSE} answer.
   */
  private byte[] askJson(int length) throws IOException {
    frame.putInt(0, length, LE);
    out.write(frame.byteArray(), 0, Wire.LENGTH_FIELD_BYTES + length);
    out.flush();
    UnsafeBuffer f = readFrame(MessageType.STATUS_RESPONSE);
    int n = Short.toUnsignedInt(f.getShort(Wire.HEADER_LENGTH + Wire.COUNT16, LE));
    byte[] json = new byte[n];
    f.getBytes(Wire.HEADER_LENGTH + Wire.STATUS_JSON, json);
    return json;
  }

  /**
   * For each transaction id (32 bytes, at most {@link Wire#MAX_QUERY_IDS}), the index of the commit
   * that ordered it on this node, or -1 when not committed (yet).
   */
  public long[] committedIndexes(List<byte[]> txIds) throws IOException {
    if (txIds.isEmpty() || txIds.size() > Wire.MAX_QUERY_IDS) {
      throw new IllegalArgumentException(
          "1.." + Wire.MAX_QUERY_IDS + " ids per query, got " + txIds.size());
    }
    int at = Wire.LENGTH_FIELD_BYTES;
    int length = Wire.txQueryHeader(frame, at, nextRequestId++, txIds.size());
    for (int i = 0; i < txIds.size(); i++) {
      byte[] id = txIds.get(i);
      if (id.length != 32) {
        throw new IllegalArgumentException("a transaction id has 32 bytes");
      }
      frame.putBytes(at + Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + i * 32, id);
    }
    String text = new String(askJson(length), StandardCharsets.UTF_8);
    int open = text.indexOf('[');
    int close = text.lastIndexOf(']');
    if (open < 0 || close < open) {
      throw new IOException("node sent a malformed commit query answer: " + text);
    }
    String[] parts = text.substring(open + 1, close).split(",");
    if (parts.length != txIds.size()) {
      throw new IOException("node answered " + parts.length + " of " + txIds.size() + " ids");
    }
    long[] out = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Long.parseLong(parts[i].trim());
    }
    return out;
  }

  /**
   * Asks where the node holds each of these runs ({@code TX_WHERE}, 1..{@value
   * Wire#MAX_WHERE_RECORDS} records): one line of text per run, in order, for an operator
   * (committed, ordered, expired, in the mempool, in an own batch, ...).
   */
  public List<String> where(List<byte[]> records) throws IOException {
    if (records.isEmpty() || records.size() > Wire.MAX_WHERE_RECORDS) {
      throw new IllegalArgumentException(
          "1.." + Wire.MAX_WHERE_RECORDS + " runs per question, got " + records.size());
    }
    int at = Wire.LENGTH_FIELD_BYTES;
    int length = Wire.txWhereHeader(frame, at, nextRequestId++, records.size());
    for (int i = 0; i < records.size(); i++) {
      byte[] record = records.get(i);
      if (record.length != Wire.RECORD) {
        throw new IllegalArgumentException("a run's record has " + Wire.RECORD + " bytes");
      }
      frame.putBytes(at + Wire.HEADER_LENGTH + Wire.SUBMIT_RECORDS + i * Wire.RECORD, record);
    }
    byte[] json = askJson(length);
    com.fasterxml.jackson.databind.JsonNode answer =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    com.fasterxml.jackson.databind.JsonNode lines = answer.get("where");
    if (lines == null || !lines.isArray() || lines.size() != records.size()) {
      throw new IOException(
          "node sent a malformed where answer: " + new String(json, StandardCharsets.UTF_8));
    }
    List<String> out = new ArrayList<>(lines.size());
    lines.forEach(line -> out.add(line.asText()));
    return out;
  }

  /**
   * Subscribes this connection to the commit feed: the receipts of every commit from {@code
   * fromSequence} on (0: from the next commit), of every transaction or, when {@code agents} is not
   * empty, of those signed by one of these agent keys (at most {@value Wire#MAX_SUBSCRIBE_KEYS}).
   * Blocks until the node confirms; returns the commit sequence the feed starts after. Read the
   * receipts with {@link #readFeed()}; use a connection of its own for a subscription.
   *
   * @throws FeedEndedException when the node refuses the subscription
   */
  public long subscribe(long fromSequence, List<byte[]> agents) throws IOException {
    if (fromSequence < 0 || agents.size() > Wire.MAX_SUBSCRIBE_KEYS) {
      throw new IllegalArgumentException(
          "from sequence must be 0 or more and at most " + Wire.MAX_SUBSCRIBE_KEYS + " agents");
    }
    int at = Wire.LENGTH_FIELD_BYTES;
    int length = Wire.subscribeHeader(frame, at, nextRequestId++, fromSequence, agents.size());
    for (int i = 0; i < agents.size(); i++) {
      byte[] key = agents.get(i);
      if (key.length != 32) {
        throw new IllegalArgumentException("an agent key has 32 bytes");
      }
      frame.putBytes(at + Wire.HEADER_LENGTH + Wire.SUBSCRIBE_KEYS + i * 32, key);
    }
    frame.putInt(0, length, LE);
    out.write(frame.byteArray(), 0, Wire.LENGTH_FIELD_BYTES + length);
    out.flush();
    UnsafeBuffer f = readFeedFrame();
    int flags = Byte.toUnsignedInt(f.getByte(Wire.HEADER_LENGTH + Wire.FEED_FLAGS));
    if ((flags & Wire.FEED_SUBSCRIBED) == 0) {
      throw new IOException("node sent receipts before confirming the subscription");
    }
    return f.getLong(Wire.HEADER_LENGTH + Wire.FEED_SEQUENCE, LE);
  }

  /**
   * Blocks for the next FEED frame of this connection's subscription.
   *
   * @throws FeedEndedException when the node ends the subscription (it closes the connection)
   */
  public FeedBatch readFeed() throws IOException {
    UnsafeBuffer f = readFeedFrame();
    int p = Wire.HEADER_LENGTH;
    int n = Short.toUnsignedInt(f.getShort(p + Wire.FEED_COUNT, LE));
    byte[] ids = new byte[n * 32];
    int[] indexes = new int[n];
    int[] codes = new int[n];
    for (int i = 0; i < n; i++) {
      int r = p + Wire.FEED_RECEIPTS + i * Wire.FEED_RECEIPT;
      f.getBytes(r, ids, i * 32, 32);
      indexes[i] = f.getInt(r + Wire.FEED_RECEIPT_INDEX, LE);
      codes[i] = Short.toUnsignedInt(f.getShort(r + Wire.FEED_RECEIPT_CODE, LE));
    }
    return new FeedBatch(
        f.getLong(p + Wire.FEED_SEQUENCE, LE),
        f.getInt(p + Wire.FEED_TX_COUNT, LE),
        Byte.toUnsignedInt(f.getByte(p + Wire.FEED_FLAGS)),
        ids,
        indexes,
        codes);
  }

  /** The next FEED frame; a FEED_END becomes a {@link FeedEndedException}. */
  private UnsafeBuffer readFeedFrame() throws IOException {
    UnsafeBuffer f = readAnyFrame();
    byte type = Wire.type(f, 0);
    if (type == MessageType.FEED_END) {
      int p = Wire.HEADER_LENGTH;
      int n = Short.toUnsignedInt(f.getShort(p + Wire.FEED_END_COUNT, LE));
      byte[] text = new byte[n];
      f.getBytes(p + Wire.FEED_END_TEXT, text);
      throw new FeedEndedException(
          FeedEndReason.fromCode(Short.toUnsignedInt(f.getShort(p + Wire.FEED_END_REASON, LE))),
          new String(text, StandardCharsets.UTF_8));
    }
    if (type != MessageType.FEED) {
      throw new IOException("node sent " + MessageType.name(type) + " on a feed connection");
    }
    return f;
  }

  private UnsafeBuffer readFrame(byte expectedType) throws IOException {
    UnsafeBuffer f = readAnyFrame();
    if (Wire.type(f, 0) != expectedType) {
      throw new IOException(
          "node sent a malformed or unexpected frame: OK type "
              + MessageType.name(Wire.type(f, 0)));
    }
    return f;
  }

  private UnsafeBuffer readAnyFrame() throws IOException {
    int length = Integer.reverseBytes(in.readInt());
    if (length < Wire.HEADER_LENGTH || length > Wire.MAX_CLIENT_FRAME) {
      throw new IOException("node sent a frame of " + length + " bytes");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    UnsafeBuffer f = new UnsafeBuffer(bytes);
    Wire.FrameError error = Wire.validate(f, 0, length);
    if (error != Wire.FrameError.OK) {
      throw new IOException(
          "node sent a malformed or unexpected frame: "
              + error
              + " type "
              + MessageType.name(Wire.type(f, 0)));
    }
    return f;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
