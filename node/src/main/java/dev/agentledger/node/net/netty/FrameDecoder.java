package dev.agentledger.node.net.netty;

import dev.agentledger.node.net.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the stream into frames: {@code u32 length (LE) || frame}, where {@code length} counts the
 * frame bytes only (not the 4-byte prefix), so a frame of exactly {@code maxFrameBytes} passes.
 *
 * <p>A frame longer than {@code maxFrameBytes} is never buffered: once its first {@link
 * #HEAD_BYTES} bytes (enough for every layout's counts) have arrived, the decoder emits an {@link
 * Oversize} with them in place of the frame, then discards the rest of the frame's bytes as they
 * arrive. The handler decides whether that deserves an answer (a SUBMIT of 257 records gets one) or
 * the end of the connection.
 *
 * <p>{@link #midFrame()} says whether part of a frame has arrived and the rest has not; the
 * connection guard uses it for the frame-completion timeout.
 */
final class FrameDecoder extends ByteToMessageDecoder {
  /** Bytes of an oversize frame handed to the handler: header plus the longest fixed prefix. */
  static final int HEAD_BYTES = Wire.HEADER_LENGTH + Wire.BATCH_RECORDS;

  /**
   * A frame of {@code lengthBytes} (more than the bound) whose first {@link #HEAD_BYTES} bytes are
   * {@code head}; the rest is being discarded.
   */
  record Oversize(byte[] head, long lengthBytes) {}

  private final int maxFrameBytes;
  private long discardRemaining;
  private long frames;

  FrameDecoder(int maxFrameBytes) {
    if (maxFrameBytes < HEAD_BYTES) {
      throw new IllegalArgumentException("frame bound below " + HEAD_BYTES + ": " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /** True while a frame has started to arrive and has not arrived whole (or is being discarded). */
  boolean midFrame() {
    return discardRemaining > 0 || actualReadableBytes() > 0;
  }

  /** Frames decoded so far, oversize ones included (counted when their head arrives). */
  long frames() {
    return frames;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (true) {
      if (discardRemaining > 0) {
        int skip = (int) Math.min(discardRemaining, in.readableBytes());
        in.skipBytes(skip);
        discardRemaining -= skip;
        if (discardRemaining > 0) {
          return;
        }
      }
      int readable = in.readableBytes();
      if (readable < Wire.LENGTH_FIELD_BYTES) {
        return;
      }
      long length = in.getUnsignedIntLE(in.readerIndex());
      if (length > maxFrameBytes) {
        if (readable < Wire.LENGTH_FIELD_BYTES + HEAD_BYTES) {
          return;
        }
        in.skipBytes(Wire.LENGTH_FIELD_BYTES);
        byte[] head = new byte[HEAD_BYTES];
        in.readBytes(head);
        discardRemaining = length - HEAD_BYTES;
        out.add(new Oversize(head, length));
        frames++;
        continue;
      }
      if (readable < Wire.LENGTH_FIELD_BYTES + length) {
        return;
      }
      in.skipBytes(Wire.LENGTH_FIELD_BYTES);
      out.add(in.readRetainedSlice((int) length));
      frames++;
    }
  }
}
