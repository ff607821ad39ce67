package dev.agentledger.accel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A reusable batch of Ed25519 verification inputs in direct buffers laid out for a device: public
 * keys (32 bytes each), signatures R || S (64 bytes each), messages at a fixed stride of {@link
 * #maxMessageBytes()} and their lengths (little-endian u32). Fill it with {@link #set(int, byte[],
 * byte[], byte[])} or write the buffers directly, then {@link #count(int)}. Not thread-safe; do not
 * change a batch while a submission of it is in flight.
 */
public final class Ed25519Batch {
  private final int capacity;
  private final int maxMessageBytes;
  private final ByteBuffer publicKeys;
  private final ByteBuffer signatures;
  private final ByteBuffer messages;
  private final ByteBuffer lengths;
  private int count;

  public Ed25519Batch(int capacity, int maxMessageBytes) {
    if (capacity <= 0 || maxMessageBytes < 0) {
      throw new IllegalArgumentException("capacity must be > 0 and maxMessageBytes >= 0");
    }
    this.capacity = capacity;
    this.maxMessageBytes = maxMessageBytes;
    this.publicKeys = ByteBuffer.allocateDirect(32 * capacity);
    this.signatures = ByteBuffer.allocateDirect(64 * capacity);
    this.messages = ByteBuffer.allocateDirect(Math.max(1, maxMessageBytes * capacity));
    this.lengths = ByteBuffer.allocateDirect(4 * capacity).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * A batch holding exactly these triples (arrays of equal length; each key 32, each sig 64 bytes).
   */
  public static Ed25519Batch of(byte[][] publicKeys, byte[][] signatures, byte[][] messages) {
    if (publicKeys.length != signatures.length || publicKeys.length != messages.length) {
      throw new IllegalArgumentException("keys, signatures and messages differ in number");
    }
    int max = 0;
    for (byte[] m : messages) {
      max = Math.max(max, m.length);
    }
    Ed25519Batch batch = new Ed25519Batch(Math.max(1, publicKeys.length), max);
    for (int i = 0; i < publicKeys.length; i++) {
      batch.set(i, publicKeys[i], signatures[i], messages[i]);
    }
    batch.count(publicKeys.length);
    return batch;
  }

  /** Writes entry i. */
  public void set(int i, byte[] publicKey, byte[] signature, byte[] message) {
    if (publicKey.length != 32 || signature.length != 64) {
      throw new IllegalArgumentException("public key must be 32 bytes and signature 64 bytes");
    }
    if (message.length > maxMessageBytes) {
      throw new IllegalArgumentException(
          "message of " + message.length + " bytes exceeds the batch's " + maxMessageBytes);
    }
    publicKeys.put(32 * i, publicKey);
    signatures.put(64 * i, signature);
    messages.put(maxMessageBytes * i, message);
    lengths.putInt(4 * i, message.length);
  }

  public void count(int count) {
    if (count < 0 || count > capacity) {
      throw new IllegalArgumentException("count " + count + " outside 0.." + capacity);
    }
    this.count = count;
  }

  public int count() {
    return count;
  }

  public int capacity() {
    return capacity;
  }

  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  public ByteBuffer publicKeys() {
    return publicKeys;
  }

  public ByteBuffer signatures() {
    return signatures;
  }

  public ByteBuffer messages() {
    return messages;
  }

  public ByteBuffer lengths() {
    return lengths;
  }

  public byte[] publicKey(int i) {
    byte[] out = new byte[32];
    publicKeys.get(32 * i, out);
    return out;
  }

  public byte[] signature(int i) {
    byte[] out = new byte[64];
    signatures.get(64 * i, out);
    return out;
  }

  public byte[] message(int i) {
    byte[] out = new byte[lengths.getInt(4 * i)];
    messages.get(maxMessageBytes * i, out);
    return out;
  }

  /** Bytes one submission uploads. */
  public long uploadBytes() {
    return (long) count * (32 + 64 + 4 + maxMessageBytes);
  }
}
