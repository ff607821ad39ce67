package dev.agentledger.node.storage;

import java.nio.charset.StandardCharsets;

/**
 * Turns keys and values into bytes and back. Key serializers must be injective and, where a column
 * is scanned in order, order-preserving under unsigned lexicographic byte comparison (RocksDB's
 * default comparator): hence big-endian for numbers.
 */
public interface Serializer<T> {
  byte[] toBytes(T value);

  T fromBytes(byte[] bytes);

  /** Bytes as they are (the array is not copied). */
  Serializer<byte[]> BYTES =
      new Serializer<>() {
        @Override
        public byte[] toBytes(byte[] value) {
          return value;
        }

        @Override
        public byte[] fromBytes(byte[] bytes) {
          return bytes;
        }
      };

  /**
   * A signed long as 8 big-endian bytes with the sign bit flipped, so byte order is numeric order.
   */
  Serializer<Long> LONG =
      new Serializer<>() {
        @Override
        public byte[] toBytes(Long value) {
          long v = value ^ Long.MIN_VALUE;
          byte[] out = new byte[8];
          for (int i = 7; i >= 0; i--) {
            out[i] = (byte) v;
            v >>>= 8;
          }
          return out;
        }

        @Override
        public Long fromBytes(byte[] bytes) {
          if (bytes.length != 8) {
            throw new IllegalArgumentException("a long needs 8 bytes, got " + bytes.length);
          }
          long v = 0;
          for (int i = 0; i < 8; i++) {
            v = (v << 8) | (bytes[i] & 0xFF);
          }
          return v ^ Long.MIN_VALUE;
        }
      };

  /** UTF-8 text. */
  Serializer<String> STRING =
      new Serializer<>() {
        @Override
        public byte[] toBytes(String value) {
          return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String fromBytes(byte[] bytes) {
          return new String(bytes, StandardCharsets.UTF_8);
        }
      };
}
