package dev.agentledger.zk.iden3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes an iden3 binary container (the layout {@link BinFile} reads): magic, u32 version, u32
 * section count, then sections of (u32 type, u64 size, bytes), little-endian. Each section's size
 * is declared up front and checked when it ends.
 */
public final class BinFileWriter implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
  private long sectionLeft = -1;

  /** Creates (or truncates) {@code path} and writes the container header. */
  public BinFileWriter(Path path, String magic, int version, int sections) {
    this.path = path;
    try {
      channel =
          FileChannel.open(
              path,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot create: " + e.getMessage(), e);
    }
    buf.put(magic.getBytes(StandardCharsets.ISO_8859_1));
    buf.putInt(version);
    buf.putInt(sections);
  }

  /** Starts section {@code type} of exactly {@code size} bytes. */
  public void beginSection(int type, long size) {
    if (sectionLeft > 0) {
      throw new IllegalStateException(
          path + ": previous section is " + sectionLeft + " bytes short");
    }
    room(12);
    buf.putInt(type);
    buf.putLong(size);
    sectionLeft = size;
  }

  /** Ends the current section, checking its declared size was written. */
  public void endSection() {
    if (sectionLeft != 0) {
      throw new IllegalStateException(
          path + ": section size mismatch by " + sectionLeft + " bytes");
    }
    sectionLeft = -1;
  }

  /** A u32. */
  public void putInt(int v) {
    take(4);
    buf.putInt(v);
  }

  /** A u64. */
  public void putLong(long v) {
    take(8);
    buf.putLong(v);
  }

  /** {@code len} longs of {@code a} from {@code off}. */
  public void putLongs(long[] a, int off, int len) {
    take(8L * len);
    int i = off;
    int end = off + len;
    while (i < end) {
      if (buf.remaining() < 8) {
        flush();
      }
      int k = Math.min(end - i, buf.remaining() / 8);
      buf.asLongBuffer().put(a, i, k);
      buf.position(buf.position() + 8 * k);
      i += k;
    }
  }

  /** {@code n} zero bytes. */
  public void putZeros(int n) {
    take(n);
    for (int i = 0; i < n; i++) {
      room(1);
      buf.put((byte) 0);
    }
  }

  private void take(long bytes) {
    if (bytes > sectionLeft) {
      throw new IllegalStateException(path + ": write past the declared section size");
    }
    sectionLeft -= bytes;
    if (bytes <= 16) {
      room((int) bytes);
    }
  }

  private void room(int bytes) {
    if (buf.remaining() < bytes) {
      flush();
    }
  }

  private void flush() {
    buf.flip();
    try {
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
    buf.clear();
  }

  @Override
  public void close() {
    flush();
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
  }
}
