package dev.agentledger.hash.cid;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deterministic subset of DAG-CBOR (RFC 8949 section 4.2 core deterministic encoding plus the
 * IPLD DAG-CBOR rules) this project writes and accepts: unsigned and negative integers, byte
 * strings, UTF-8 text, arrays, maps with text keys, {@code true}/{@code false}/{@code null}, and
 * links as tag 42 over {@code 0x00 || binary CID}. Lengths are definite and minimal; map keys are
 * sorted length-first, then bytewise; floats, other tags and duplicate keys are rejected.
 *
 * <p>Value model: {@link Long}, {@code byte[]}, {@link String}, {@link List}, {@link Map} (String
 * keys), {@link Boolean}, {@code null}, {@link Cid}.
 */
public final class DagCbor {
  private static final int TAG_CID = 42;
  private static final Comparator<byte[]> KEY_ORDER =
      Comparator.<byte[]>comparingInt(k -> k.length).thenComparing(Arrays::compareUnsigned);

  private DagCbor() {}

  /** Encodes {@code value} deterministically. */
  public static byte[] encode(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, value);
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, Object value) {
    switch (value) {
      case null -> out.write(0xf6);
      case Boolean b -> out.write(b ? 0xf5 : 0xf4);
      case Long n -> {
        if (n >= 0) {
          head(out, 0, n);
        } else {
          head(out, 1, -1 - n);
        }
      }
      case Integer n -> write(out, (long) n);
      case byte[] bytes -> {
        head(out, 2, bytes.length);
        out.writeBytes(bytes);
      }
      case String text -> {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        head(out, 3, utf8.length);
        out.writeBytes(utf8);
      }
      case Cid cid -> {
        head(out, 6, TAG_CID);
        byte[] binary = cid.toBytes();
        head(out, 2, binary.length + 1);
        out.write(0);
        out.writeBytes(binary);
      }
      case List<?> list -> {
        head(out, 4, list.size());
        for (Object item : list) {
          write(out, item);
        }
      }
      case Map<?, ?> map -> {
        List<byte[]> keys = new ArrayList<>(map.size());
        Map<String, Object> byKey = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          if (!(entry.getKey() instanceof String key)) {
            throw new IllegalArgumentException("DAG-CBOR map keys must be strings");
          }
          keys.add(key.getBytes(StandardCharsets.UTF_8));
          byKey.put(key, entry.getValue());
        }
        keys.sort(KEY_ORDER);
        head(out, 5, keys.size());
        for (byte[] key : keys) {
          String k = new String(key, StandardCharsets.UTF_8);
          write(out, k);
          write(out, byKey.get(k));
        }
      }
      default ->
          throw new IllegalArgumentException("no DAG-CBOR form for " + value.getClass().getName());
    }
  }

  private static void head(ByteArrayOutputStream out, int major, long argument) {
    int m = major << 5;
    if (argument < 24) {
      out.write(m | (int) argument);
    } else if (argument < 0x100) {
      out.write(m | 24);
      out.write((int) argument);
    } else if (argument < 0x10000) {
      out.write(m | 25);
      out.write((int) (argument >>> 8));
      out.write((int) argument);
    } else if (argument < 0x1_0000_0000L) {
      out.write(m | 26);
      for (int s = 24; s >= 0; s -= 8) {
        out.write((int) (argument >>> s));
      }
    } else {
      out.write(m | 27);
      for (int s = 56; s >= 0; s -= 8) {
        out.write((int) (argument >>> s));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Decodes one value that must span all of {@code bytes}; rejects anything non-deterministic. */
  public static Object decode(byte[] bytes) {
    Reader reader = new Reader(bytes);
    Object value = reader.value(0);
    if (reader.pos != bytes.length) {
      throw new IllegalArgumentException("trailing bytes after the DAG-CBOR value");
    }
    return value;
  }

  /** Every link in {@code value}, in encoding order. */
  public static List<Cid> links(Object value) {
    List<Cid> links = new ArrayList<>();
    collect(value, links);
    return links;
  }

  private static void collect(Object value, List<Cid> links) {
    if (value instanceof Cid cid) {
      links.add(cid);
    } else if (value instanceof List<?> list) {
      list.forEach(item -> collect(item, links));
    } else if (value instanceof Map<?, ?> map) {
      map.values().forEach(item -> collect(item, links));
    }
  }

  private static final class Reader {
    private static final int MAX_DEPTH = 64;
    private final byte[] in;
    private int pos;

    Reader(byte[] in) {
      this.in = in;
    }

    private int next() {
      if (pos >= in.length) {
        throw new IllegalArgumentException("truncated DAG-CBOR");
      }
      return in[pos++] & 0xff;
    }

    /** The argument of a head with additional info {@code info}, checked minimal. */
    private long argument(int info) {
      if (info < 24) {
        return info;
      }
      int bytes =
          switch (info) {
            case 24 -> 1;
            case 25 -> 2;
            case 26 -> 4;
            case 27 -> 8;
            default ->
                throw new IllegalArgumentException(
                    "indefinite or reserved length (info " + info + ")");
          };
      long value = 0;
      for (int i = 0; i < bytes; i++) {
        value = (value << 8) | next();
      }
      long minimum =
          switch (bytes) {
            case 1 -> 24;
            case 2 -> 0x100;
            case 4 -> 0x10000;
            default -> 0x1_0000_0000L;
          };
      if (Long.compareUnsigned(value, minimum) < 0) {
        throw new IllegalArgumentException("non-minimal CBOR length");
      }
      return value;
    }

    private int length(int info) {
      long n = argument(info);
      if (n < 0 || n > in.length - pos) {
        throw new IllegalArgumentException("CBOR length beyond the input");
      }
      return (int) n;
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw new IllegalArgumentException("DAG-CBOR nested too deep");
      }
      int initial = next();
      int major = initial >>> 5;
      int info = initial & 31;
      switch (major) {
        case 0, 1 -> {
          long n = argument(info);
          if (n < 0) {
            throw new IllegalArgumentException("integer outside the 64-bit signed range");
          }
          return major == 0 ? n : -1 - n;
        }
        case 2 -> {
          int n = length(info);
          byte[] bytes = Arrays.copyOfRange(in, pos, pos + n);
          pos += n;
          return bytes;
        }
        case 3 -> {
          int n = length(info);
          String text = utf8(pos, n);
          pos += n;
          return text;
        }
        case 4 -> {
          int n = length(info);
          List<Object> list = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            list.add(value(depth + 1));
          }
          return Collections.unmodifiableList(list);
        }
        case 5 -> {
          int n = length(info);
          Map<String, Object> map = new LinkedHashMap<>();
          byte[] previous = null;
          for (int i = 0; i < n; i++) {
            int keyHead = next();
            if (keyHead >>> 5 != 3) {
              throw new IllegalArgumentException("DAG-CBOR map keys must be text");
            }
            int keyLength = length(keyHead & 31);
            byte[] key = Arrays.copyOfRange(in, pos, pos + keyLength);
            String k = utf8(pos, keyLength);
            pos += keyLength;
            if (previous != null && KEY_ORDER.compare(previous, key) >= 0) {
              throw new IllegalArgumentException("map keys unsorted or duplicated at '" + k + "'");
            }
            previous = key;
            map.put(k, value(depth + 1));
          }
          return Collections.unmodifiableMap(map);
        }
        case 6 -> {
          if (argument(info) != TAG_CID) {
            throw new IllegalArgumentException("only tag 42 (CID) is allowed");
          }
          Object payload = value(depth + 1);
          if (!(payload instanceof byte[] bytes) || bytes.length < 2 || bytes[0] != 0) {
            throw new IllegalArgumentException("tag 42 must hold 0x00 || binary CID");
          }
          return Cid.fromBytes(Arrays.copyOfRange(bytes, 1, bytes.length));
        }
        default -> {
          return switch (info) {
            case 20 -> Boolean.FALSE;
            case 21 -> Boolean.TRUE;
            case 22 -> null;
            default ->
                throw new IllegalArgumentException(
                    "unsupported simple value or float (info " + info + ")");
          };
        }
      }
    }

    private String utf8(int from, int length) {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(in, from, length))
            .toString();
      } catch (CharacterCodingException e) {
        throw new IllegalArgumentException("text is not valid UTF-8");
      }
    }
  }
}
