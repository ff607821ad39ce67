package dev.agentledger.sig;

import java.util.Objects;

/**
 * A reusable list of signature-verification items: references to (public key, signature, message)
 * slices of caller-owned arrays, not copies. The arrays must not change until the batch has been
 * verified. {@link #clear()} makes it reusable without allocating.
 */
public final class SignatureBatch {
  private final byte[][] publicKeys;
  private final int[] publicKeyOffsets;
  private final byte[][] signatures;
  private final int[] signatureOffsets;
  private final byte[][] messages;
  private final int[] messageOffsets;
  private final int[] messageLengths;
  private int size;

  public SignatureBatch(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    publicKeys = new byte[capacity][];
    publicKeyOffsets = new int[capacity];
    signatures = new byte[capacity][];
    signatureOffsets = new int[capacity];
    messages = new byte[capacity][];
    messageOffsets = new int[capacity];
    messageLengths = new int[capacity];
  }

  /** Appends an item; returns its index. Throws {@link IllegalStateException} when full. */
  public int add(
      byte[] publicKey,
      int publicKeyOffset,
      byte[] signature,
      int signatureOffset,
      byte[] message,
      int messageOffset,
      int messageLength) {
    if (size == publicKeys.length) {
      throw new IllegalStateException("batch full: " + size);
    }
    Objects.checkFromIndexSize(publicKeyOffset, Ed25519.PUBLIC_KEY_BYTES, publicKey.length);
    Objects.checkFromIndexSize(signatureOffset, Ed25519.SIGNATURE_BYTES, signature.length);
    Objects.checkFromIndexSize(messageOffset, messageLength, message.length);
    int i = size++;
    publicKeys[i] = publicKey;
    publicKeyOffsets[i] = publicKeyOffset;
    signatures[i] = signature;
    signatureOffsets[i] = signatureOffset;
    messages[i] = message;
    messageOffsets[i] = messageOffset;
    messageLengths[i] = messageLength;
    return i;
  }

  /** Appends whole arrays: 32-byte key, 64-byte signature, message. */
  public int add(byte[] publicKey, byte[] signature, byte[] message) {
    return add(publicKey, 0, signature, 0, message, 0, message.length);
  }

  public int size() {
    return size;
  }

  public int capacity() {
    return publicKeys.length;
  }

  public boolean isFull() {
    return size == publicKeys.length;
  }

  /** Forgets all items (drops the references so the arrays can be collected). */
  public void clear() {
    java.util.Arrays.fill(publicKeys, 0, size, null);
    java.util.Arrays.fill(signatures, 0, size, null);
    java.util.Arrays.fill(messages, 0, size, null);
    size = 0;
  }

  public byte[] publicKey(int i) {
    return publicKeys[Objects.checkIndex(i, size)];
  }

  public int publicKeyOffset(int i) {
    return publicKeyOffsets[Objects.checkIndex(i, size)];
  }

  public byte[] signature(int i) {
    return signatures[Objects.checkIndex(i, size)];
  }

  public int signatureOffset(int i) {
    return signatureOffsets[Objects.checkIndex(i, size)];
  }

  public byte[] message(int i) {
    return messages[Objects.checkIndex(i, size)];
  }

  public int messageOffset(int i) {
    return messageOffsets[Objects.checkIndex(i, size)];
  }

  public int messageLength(int i) {
    return messageLengths[Objects.checkIndex(i, size)];
  }

  /** Verifies item i alone with {@link Ed25519#verify} (the single-mode verdict). */
  public boolean verifySingle(int i) {
    return Ed25519.verify(
        publicKey(i),
        publicKeyOffset(i),
        signature(i),
        signatureOffset(i),
        message(i),
        messageOffset(i),
        messageLength(i));
  }
}
