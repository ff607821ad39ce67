package dev.agentledger.hash.cid;

import dev.agentledger.hash.Sha256;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A CIDv1 with a sha2-256 multihash: binary {@code varint(1) varint(codec) 0x12 0x20 digest} (36
 * bytes for the codecs here), text {@code "b" + base32lower(binary)} (multibase). Codecs: {@link
 * #RAW} (0x55) and {@link #DAG_CBOR} (0x71). Immutable.
 */
public final class Cid {
  public static final int RAW = 0x55;
  public static final int DAG_CBOR = 0x71;

  /** Multihash code of sha2-256. */
  public static final int SHA2_256 = 0x12;

  private final int codec;
  private final byte[] digest;

  private Cid(int codec, byte[] digest) {
    this.codec = codec;
    this.digest = digest;
  }

  /** The CID of {@code block} under {@code codec} (SHA-256 of the block bytes). */
  public static Cid of(int codec, byte[] block) {
    return new Cid(codec, Sha256.digest(block));
  }

  /** The raw-codec CID of {@code data}. */
  public static Cid raw(byte[] data) {
    return of(RAW, data);
  }

  public static Cid ofDigest(int codec, byte[] sha256) {
    if (sha256.length != Sha256.DIGEST_BYTES) {
      throw new IllegalArgumentException("a sha2-256 digest has 32 bytes");
    }
    return new Cid(codec, sha256.clone());
  }

  public int codec() {
    return codec;
  }

  public byte[] digest() {
    return digest.clone();
  }

  /** True when {@code block} hashes to this CID's digest. */
  public boolean matches(byte[] block) {
    return MessageDigest.isEqual(digest, Sha256.digest(block));
  }

  /** The binary form: version, codec, multihash. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(36);
    writeVarint(out, 1);
    writeVarint(out, codec);
    writeVarint(out, SHA2_256);
    writeVarint(out, digest.length);
    out.writeBytes(digest);
    return out.toByteArray();
  }

  /** Parses the binary form (CIDv1, sha2-256 only). */
  public static Cid fromBytes(byte[] bytes) {
    int[] pos = {0};
    long version = readVarint(bytes, pos);
    long codec = readVarint(bytes, pos);
    long hash = readVarint(bytes, pos);
    long length = readVarint(bytes, pos);
    if (version != 1
        || hash != SHA2_256
        || length != 32
        || bytes.length - pos[0] != 32
        || codec > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("not a CIDv1 with a sha2-256 multihash");
    }
    return new Cid((int) codec, Arrays.copyOfRange(bytes, pos[0], bytes.length));
  }

  /** Parses the text form {@code b...}. */
  public static Cid parse(String text) {
    if (text.isEmpty() || text.charAt(0) != 'b') {
      throw new IllegalArgumentException("only the base32 lower multibase ('b') is supported");
    }
    return fromBytes(Base32.decode(text.substring(1)));
  }

  @Override
  public String toString() {
    return "b" + Base32.encode(toBytes());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cid cid && cid.codec == codec && Arrays.equals(cid.digest, digest);
  }

  @Override
  public int hashCode() {
    return 31 * codec + Arrays.hashCode(digest);
  }

  static void writeVarint(ByteArrayOutputStream out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** Unsigned LEB128 as multiformats uses it (at most 9 bytes, minimal encoding). */
  static long readVarint(byte[] bytes, int[] pos) {
    long value = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      if (pos[0] >= bytes.length) {
        throw new IllegalArgumentException("truncated varint");
      }
      int b = bytes[pos[0]++] & 0xff;
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          throw new IllegalArgumentException("non-minimal varint");
        }
        return value;
      }
    }
    throw new IllegalArgumentException("varint too long");
  }
}
