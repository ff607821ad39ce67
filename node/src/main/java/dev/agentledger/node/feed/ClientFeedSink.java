package dev.agentledger.node.feed;

import dev.agentledger.node.net.FeedEndReason;
import dev.agentledger.node.net.Transport;
import dev.agentledger.node.net.Wire;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A subscription over the client port: FEED frames of up to {@value Wire#MAX_FEED_RECEIPTS}
 * receipts on the subscriber's connection (encoded into one reused buffer), a FEED_END before the
 * connection is closed. A frame the connection cannot take now (its send queue is over its bound)
 * is written again later from the same receipt.
 */
public final class ClientFeedSink implements FeedSink {
  private final Transport transport;
  private final long connection;
  private final long requestId;
  private final UnsafeBuffer frame = new UnsafeBuffer(new byte[Wire.MAX_FEED_FRAME]);
  private final byte[] txId = new byte[32];

  public ClientFeedSink(Transport transport, long connection, long requestId) {
    this.transport = transport;
    this.connection = connection;
    this.requestId = requestId;
  }

  @Override
  public boolean subscribed(long lastSequenceBefore) {
    int n = Wire.feedHeader(frame, 0, requestId, lastSequenceBefore, 0, 0, Wire.FEED_SUBSCRIBED);
    return transport.sendToClient(connection, frame, 0, n);
  }

  @Override
  public int deliver(FeedCommit commit, FeedFilter filter, int from) {
    int size = commit.size();
    int i = from;
    do {
      int count = 0;
      int at = Wire.HEADER_LENGTH + Wire.FEED_RECEIPTS;
      int scan = i;
      while (scan < size && count < Wire.MAX_FEED_RECEIPTS) {
        if (commit.passes(filter, scan)) {
          commit.copyTxId(scan, txId, 0);
          frame.putBytes(at, txId, 0, 32);
          frame.putInt(at + Wire.FEED_RECEIPT_INDEX, scan, ByteOrder.LITTLE_ENDIAN);
          frame.putShort(
              at + Wire.FEED_RECEIPT_CODE,
              (short) commit.code(scan).code(),
              ByteOrder.LITTLE_ENDIAN);
          at += Wire.FEED_RECEIPT;
          count++;
        }
        scan++;
      }
      // A full frame ends the commit only when no later receipt passes.
      boolean last =
          scan == size || (count == Wire.MAX_FEED_RECEIPTS && noMatchFrom(commit, filter, scan));
      int n =
          Wire.feedHeader(
              frame, 0, requestId, commit.sequence(), size, count, last ? Wire.FEED_LAST : 0);
      if (!transport.isClientConnected(connection)) {
        return GONE;
      }
      if (!transport.sendToClient(connection, frame, 0, n)) {
        return i;
      }
      i = last ? size : scan;
    } while (i < size);
    return size;
  }

  private static boolean noMatchFrom(FeedCommit commit, FeedFilter filter, int from) {
    for (int i = from; i < commit.size(); i++) {
      if (commit.passes(filter, i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void end(FeedEndReason reason, String detail) {
    int n = Wire.feedEnd(frame, 0, requestId, reason, detail.getBytes(StandardCharsets.UTF_8));
    transport.closeClient(connection, frame, 0, n);
  }

  @Override
  public boolean isOpen() {
    return transport.isClientConnected(connection);
  }
}
