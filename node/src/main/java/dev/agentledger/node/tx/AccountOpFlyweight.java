package dev.agentledger.node.tx;

import static dev.agentledger.node.tx.AccountOpDescriptor.*;

import dev.agentledger.hash.Sha256;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Reads and writes one {@code AccountOp} record ({@link AccountOpDescriptor}) in place. Like {@link
 * AgentRunFlyweight}: one instance serves a stream, allocates nothing per record, and is
 * single-threaded (it owns scratch arrays for the signed message).
 */
public final class AccountOpFlyweight {
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  private DirectBuffer buffer;
  private MutableDirectBuffer mutableBuffer;
  private int offset;

  private final byte[] messageScratch = new byte[ID_PREIMAGE_LENGTH];
  private final byte[] keyScratch = new byte[KEY_LENGTH];

  public AccountOpFlyweight wrap(DirectBuffer buffer, int offset) {
    checkCapacity(offset, buffer.capacity());
    this.buffer = buffer;
    this.mutableBuffer = buffer instanceof MutableDirectBuffer m ? m : null;
    this.offset = offset;
    return this;
  }

  public DirectBuffer buffer() {
    return buffer;
  }

  public int offset() {
    return offset;
  }

  public byte version() {
    return buffer.getByte(offset + VERSION_OFFSET);
  }

  public byte kind() {
    return buffer.getByte(offset + KIND_OFFSET);
  }

  public int chainId() {
    return buffer.getInt(offset + CHAIN_ID_OFFSET, LE);
  }

  public int shardHint() {
    return Short.toUnsignedInt(buffer.getShort(offset + SHARD_HINT_OFFSET, LE));
  }

  public void getSigner(byte[] dst, int dstOffset) {
    buffer.getBytes(offset + SIGNER_OFFSET, dst, dstOffset, KEY_LENGTH);
  }

  public long nonce() {
    return buffer.getLong(offset + NONCE_OFFSET, LE);
  }

  public void getTarget(byte[] dst, int dstOffset) {
    buffer.getBytes(offset + TARGET_OFFSET, dst, dstOffset, KEY_LENGTH);
  }

  public long argument() {
    return buffer.getLong(offset + ARGUMENT_OFFSET, LE);
  }

  public long maxFee() {
    return buffer.getLong(offset + MAX_FEE_OFFSET, LE);
  }

  public void getSignature(byte[] dst, int dstOffset) {
    buffer.getBytes(offset + SIGNATURE_OFFSET, dst, dstOffset, SIGNATURE_LENGTH);
  }

  private MutableDirectBuffer writable() {
    if (mutableBuffer == null) {
      throw new IllegalStateException("flyweight wraps a read-only buffer");
    }
    return mutableBuffer;
  }

  public AccountOpFlyweight version(byte value) {
    writable().putByte(offset + VERSION_OFFSET, value);
    return this;
  }

  public AccountOpFlyweight kind(byte value) {
    writable().putByte(offset + KIND_OFFSET, value);
    return this;
  }

  public AccountOpFlyweight chainId(int value) {
    writable().putInt(offset + CHAIN_ID_OFFSET, value, LE);
    return this;
  }

  public AccountOpFlyweight shardHint(int value) {
    if (value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException("shard_hint must fit u16: " + value);
    }
    writable().putShort(offset + SHARD_HINT_OFFSET, (short) value, LE);
    return this;
  }

  public AccountOpFlyweight signer(byte[] src, int srcOffset) {
    writable().putBytes(offset + SIGNER_OFFSET, src, srcOffset, KEY_LENGTH);
    return this;
  }

  public AccountOpFlyweight nonce(long value) {
    writable().putLong(offset + NONCE_OFFSET, value, LE);
    return this;
  }

  public AccountOpFlyweight target(byte[] src, int srcOffset) {
    writable().putBytes(offset + TARGET_OFFSET, src, srcOffset, KEY_LENGTH);
    return this;
  }

  public AccountOpFlyweight argument(long value) {
    writable().putLong(offset + ARGUMENT_OFFSET, value, LE);
    return this;
  }

  public AccountOpFlyweight maxFee(long value) {
    writable().putLong(offset + MAX_FEE_OFFSET, value, LE);
    return this;
  }

  public AccountOpFlyweight signature(byte[] src, int srcOffset) {
    writable().putBytes(offset + SIGNATURE_OFFSET, src, srcOffset, SIGNATURE_LENGTH);
    return this;
  }

  /**
   * Field validation (no signature check): version 1, an account kind, non-zero signer and target,
   * an AUTHORIZE argument of 0 or 1, a REGISTER_AGENT argument of 0.
   */
  public AgentRunError validate() {
    if (version() != VERSION_1) {
      return AgentRunError.UNKNOWN_VERSION;
    }
    RunKind kind = RunKind.fromCode(kind());
    if (kind == null || !kind.isAccountOp()) {
      return AgentRunError.UNKNOWN_KIND;
    }
    if (isZero(offset + SIGNER_OFFSET)) {
      return AgentRunError.ZERO_AGENT_KEY;
    }
    if (isZero(offset + TARGET_OFFSET)) {
      return AgentRunError.ZERO_TARGET_KEY;
    }
    if (kind == RunKind.AUTHORIZE
        && argument() != AUTHORIZE_GRANT
        && argument() != AUTHORIZE_REVOKE) {
      return AgentRunError.BAD_ARGUMENT;
    }
    if (kind == RunKind.REGISTER_AGENT && argument() != 0) {
      return AgentRunError.BAD_ARGUMENT;
    }
    return AgentRunError.NONE;
  }

  private boolean isZero(int index) {
    long acc = 0;
    for (int i = 0; i < KEY_LENGTH; i += 8) {
      acc |= buffer.getLong(index + i);
    }
    return acc == 0;
  }

  /** Writes {@code "agentledger/account/v1" || chain_id (u32 LE) || body}; returns its length. */
  public int signingMessage(byte[] dst, int dstOffset) {
    System.arraycopy(SIGNING_DOMAIN, 0, dst, dstOffset, SIGNING_DOMAIN.length);
    int at = dstOffset + SIGNING_DOMAIN.length;
    buffer.getBytes(offset + CHAIN_ID_OFFSET, dst, at, 4);
    buffer.getBytes(offset, dst, at + 4, BODY_LENGTH);
    return SIGNING_MESSAGE_LENGTH;
  }

  /** Verifies the signature with the signer key (no field validation). */
  public boolean verifySignature() {
    int length = signingMessage(messageScratch, 0);
    buffer.getBytes(offset + SIGNATURE_OFFSET, messageScratch, length, SIGNATURE_LENGTH);
    getSigner(keyScratch, 0);
    return Ed25519.verify(keyScratch, 0, messageScratch, length, messageScratch, 0, length);
  }

  /** Signs in place with the key whose public key is the record's signer. */
  public AccountOpFlyweight sign(Ed25519KeyPair key) {
    int length = signingMessage(messageScratch, 0);
    key.sign(messageScratch, 0, length, messageScratch, length);
    writable().putBytes(offset + SIGNATURE_OFFSET, messageScratch, length, SIGNATURE_LENGTH);
    return this;
  }

  /** The transaction id, SHA-256(signed message || signature). */
  public void transactionId(Sha256 hasher, byte[] dst, int dstOffset) {
    int length = signingMessage(messageScratch, 0);
    buffer.getBytes(offset + SIGNATURE_OFFSET, messageScratch, length, SIGNATURE_LENGTH);
    hasher.reset().update(messageScratch, 0, ID_PREIMAGE_LENGTH).digest(dst, dstOffset);
  }

  public byte[] transactionId() {
    byte[] id = new byte[Sha256.DIGEST_BYTES];
    transactionId(Sha256.perThread(), id, 0);
    return id;
  }
}
