package dev.agentledger.zk.iden3;

import dev.agentledger.zk.ZkInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The iden3 binary container shared by {@code .r1cs}, {@code .wtns} and {@code .zkey}: a 4-byte
 * magic, a u32 version, a u32 section count, then sections of (u32 type, u64 size, bytes), all
 * little-endian. Sections are memory-mapped; each type may occur once.
 */
public final class BinFile implements AutoCloseable {
  private final String name;
  private final FileChannel channel;
  private final Map<Integer, long[]> sections = new HashMap<>();

  private BinFile(String name, FileChannel channel) {
    this.name = name;
    this.channel = channel;
  }

  /** Opens {@code path}, checking the magic and that every section lies within the file. */
  public static BinFile open(Path path, String magic, int maxVersion) {
    String name = path.getFileName().toString();
    FileChannel ch;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot open: " + e.getMessage(), e);
    }
    BinFile f = new BinFile(name, ch);
    try {
      long size = f.size();
      ByteBuffer head = f.read(0, 12);
      byte[] m = new byte[4];
      head.get(m);
      if (!new String(m, StandardCharsets.ISO_8859_1).equals(magic)) {
        throw new ZkInputException(name + ": not a ." + magic + " file (bad magic)");
      }
      int version = head.getInt();
      if (version < 1 || version > maxVersion) {
        throw new ZkInputException(name + ": unsupported ." + magic + " version " + version);
      }
      int n = head.getInt();
      if (n < 0 || n > 64) {
        throw new ZkInputException(name + ": implausible section count " + n);
      }
      long pos = 12;
      for (int i = 0; i < n; i++) {
        ByteBuffer sh = f.read(pos, 12);
        int type = sh.getInt();
        long len = sh.getLong();
        pos += 12;
        if (len < 0 || pos + len > size) {
          throw new ZkInputException(name + ": truncated (section " + type + " runs past the end)");
        }
        if (f.sections.put(type, new long[] {pos, len}) != null) {
          throw new ZkInputException(name + ": section " + type + " appears twice");
        }
        pos += len;
      }
      if (pos != size) {
        throw new ZkInputException(
            name + ": " + (size - pos) + " trailing bytes after the sections");
      }
      return f;
    } catch (RuntimeException e) {
      f.close();
      throw e;
    }
  }

  private long size() {
    try {
      return channel.size();
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": " + e.getMessage(), e);
    }
  }

  /** The file name, for messages. */
  public String name() {
    return name;
  }

  /** Size in bytes of a section that must be present. */
  public long sectionSize(int type) {
    return bounds(type)[1];
  }

  private long[] bounds(int type) {
    long[] s = sections.get(type);
    if (s == null) {
      throw new ZkInputException(name + ": section " + type + " is missing");
    }
    return s;
  }

  /** A little-endian view of {@code len} bytes of a section from {@code offset}. */
  public ByteBuffer section(int type, long offset, long len) {
    long[] s = bounds(type);
    if (offset < 0 || len < 0 || offset + len > s[1]) {
      throw new ZkInputException(name + ": section " + type + " is too short");
    }
    return read(s[0] + offset, len);
  }

  /** The whole section as a little-endian buffer. */
  public ByteBuffer section(int type) {
    return section(type, 0, bounds(type)[1]);
  }

  private ByteBuffer read(long pos, long len) {
    if (len > Integer.MAX_VALUE - 8) {
      throw new ZkInputException(name + ": section over 2 GiB is not supported");
    }
    try {
      if (pos + len > size()) {
        throw new ZkInputException(name + ": truncated");
      }
      ByteBuffer b;
      if (len < 4096) {
        b = ByteBuffer.allocate((int) len);
        while (b.hasRemaining()) {
          if (channel.read(b, pos + b.position()) < 0) {
            throw new ZkInputException(name + ": truncated");
          }
        }
        b.flip();
      } else {
        b = channel.map(FileChannel.MapMode.READ_ONLY, pos, len);
      }
      return b.order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": " + e.getMessage(), e);
    }
  }

  /** Reads an unsigned little-endian integer of {@code n} bytes. */
  public static BigInteger readBigInt(ByteBuffer b, int n) {
    byte[] le = new byte[n];
    b.get(le);
    byte[] be = new byte[n + 1];
    for (int i = 0; i < n; i++) {
      be[n - i] = le[i];
    }
    return new BigInteger(be);
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
