package dev.agentledger.node.tx;

import static dev.agentledger.node.tx.AgentRunDescriptor.*;

import dev.agentledger.hash.Sha256;
import dev.agentledger.sig.Ed25519;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Reads and writes the fields of one {@code AgentRun} in place, over an Agrona buffer. Wrap it over
 * a record, read or write fields, wrap the next: one flyweight serves a whole stream and allocates
 * nothing per record. The small scratch arrays it owns (for the signed message and the agent key)
 * make an instance single-threaded.
 */
public final class AgentRunFlyweight {
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

  private DirectBuffer buffer;
  private MutableDirectBuffer mutableBuffer;
  private int offset;

  private final byte[] messageScratch = new byte[ID_PREIMAGE_LENGTH];
  private final byte[] keyScratch = new byte[KEY_LENGTH];

  /** Wraps a record for reading. */
  public AgentRunFlyweight wrap(DirectBuffer buffer, int offset) {
    checkCapacity(offset, buffer.capacity());
    this.buffer = buffer;
    this.mutableBuffer = buffer instanceof MutableDirectBuffer m ? m : null;
    this.offset = offset;
    return this;
  }

  /** Wraps a record for reading and writing. */
  public AgentRunFlyweight wrap(MutableDirectBuffer buffer, int offset) {
    checkCapacity(offset, buffer.capacity());
    this.buffer = buffer;
    this.mutableBuffer = buffer;
    this.offset = offset;
    return this;
  }

  public DirectBuffer buffer() {
    return buffer;
  }

  public int offset() {
    return offset;
  }

  // ---- reads -------------------------------------------------------------------------------

  public byte version() {
    return buffer.getByte(offset + VERSION_OFFSET);
  }

  public byte kind() {
    return buffer.getByte(offset + KIND_OFFSET);
  }

  /** The chain id as a signed int; compare with {@code Integer.toUnsignedLong} for display. */
  public int chainId() {
    return buffer.getInt(offset + CHAIN_ID_OFFSET, LE);
  }

  /** The shard hint, unsigned (0..65535). */
  public int shardHint() {
    return Short.toUnsignedInt(buffer.getShort(offset + SHARD_HINT_OFFSET, LE));
  }

  public void getAgent(byte[] dst, int dstOffset) {
    buffer.getBytes(offset + AGENT_OFFSET, dst, dstOffset, KEY_LENGTH);
  }

  public void getPayer(byte[] dst, int dstOffset) {
    buffer.getBytes(offset + PAYER_OFFSET, dst, dstOffset, KEY_LENGTH);
  }

  public long nonce() {
    return buffer.getLong(offset + NONCE_OFFSET, LE);
  }

  public void getTaskId(byte[] dst, int dstOffset) {
    buffer.getBytes(offset + TASK_ID_OFFSET, dst, dstOffset, TASK_ID_LENGTH);
  }

  public void getParentRun(byte[] dst, int dstOffset) {
    buffer.getBytes(offset + PARENT_RUN_OFFSET, dst, dstOffset, HASH_LENGTH);
  }

  public long startedAt() {
    return buffer.getLong(offset + STARTED_AT_OFFSET, LE);
  }

  public long endedAt() {
    return buffer.getLong(offset + ENDED_AT_OFFSET, LE);
  }

  public long inputTokens() {
    return buffer.getLong(offset + INPUT_TOKENS_OFFSET, LE);
  }

  public long outputTokens() {
    return buffer.getLong(offset + OUTPUT_TOKENS_OFFSET, LE);
  }

  public long computeMs() {
    return buffer.getLong(offset + COMPUTE_MS_OFFSET, LE);
  }

  public long gpuMs() {
    return buffer.getLong(offset + GPU_MS_OFFSET, LE);
  }

  public long peakMemoryBytes() {
    return buffer.getLong(offset + PEAK_MEMORY_BYTES_OFFSET, LE);
  }

  public void getModel(byte[] dst, int dstOffset) {
    buffer.getBytes(offset + MODEL_OFFSET, dst, dstOffset, HASH_LENGTH);
  }

  public byte outcome() {
    return buffer.getByte(offset + OUTCOME_OFFSET);
  }

  public int priority() {
    return Byte.toUnsignedInt(buffer.getByte(offset + PRIORITY_OFFSET));
  }

  public long maxFee() {
    return buffer.getLong(offset + MAX_FEE_OFFSET, LE);
  }

  public void getMetadataCid(byte[] dst, int dstOffset) {
    buffer.getBytes(offset + METADATA_CID_OFFSET, dst, dstOffset, METADATA_CID_LENGTH);
  }

  public void getSignature(byte[] dst, int dstOffset) {
    buffer.getBytes(offset + SIGNATURE_OFFSET, dst, dstOffset, SIGNATURE_LENGTH);
  }

  // ---- writes ------------------------------------------------------------------------------

  private MutableDirectBuffer writable() {
    if (mutableBuffer == null) {
      throw new IllegalStateException("flyweight wraps a read-only buffer");
    }
    return mutableBuffer;
  }

  public AgentRunFlyweight version(byte value) {
    writable().putByte(offset + VERSION_OFFSET, value);
    return this;
  }

  public AgentRunFlyweight kind(byte value) {
    writable().putByte(offset + KIND_OFFSET, value);
    return this;
  }

  public AgentRunFlyweight chainId(int value) {
    writable().putInt(offset + CHAIN_ID_OFFSET, value, LE);
    return this;
  }

  public AgentRunFlyweight shardHint(int value) {
    if (value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException("shard_hint must fit u16: " + value);
    }
    writable().putShort(offset + SHARD_HINT_OFFSET, (short) value, LE);
    return this;
  }

  public AgentRunFlyweight agent(byte[] src, int srcOffset) {
    writable().putBytes(offset + AGENT_OFFSET, src, srcOffset, KEY_LENGTH);
    return this;
  }

  public AgentRunFlyweight payer(byte[] src, int srcOffset) {
    writable().putBytes(offset + PAYER_OFFSET, src, srcOffset, KEY_LENGTH);
    return this;
  }

  public AgentRunFlyweight nonce(long value) {
    writable().putLong(offset + NONCE_OFFSET, value, LE);
    return this;
  }

  public AgentRunFlyweight taskId(byte[] src, int srcOffset) {
    writable().putBytes(offset + TASK_ID_OFFSET, src, srcOffset, TASK_ID_LENGTH);
    return this;
  }

  public AgentRunFlyweight parentRun(byte[] src, int srcOffset) {
    writable().putBytes(offset + PARENT_RUN_OFFSET, src, srcOffset, HASH_LENGTH);
    return this;
  }

  public AgentRunFlyweight startedAt(long value) {
    writable().putLong(offset + STARTED_AT_OFFSET, value, LE);
    return this;
  }

  public AgentRunFlyweight endedAt(long value) {
    writable().putLong(offset + ENDED_AT_OFFSET, value, LE);
    return this;
  }

  public AgentRunFlyweight inputTokens(long value) {
    writable().putLong(offset + INPUT_TOKENS_OFFSET, value, LE);
    return this;
  }

  public AgentRunFlyweight outputTokens(long value) {
    writable().putLong(offset + OUTPUT_TOKENS_OFFSET, value, LE);
    return this;
  }

  public AgentRunFlyweight computeMs(long value) {
    writable().putLong(offset + COMPUTE_MS_OFFSET, value, LE);
    return this;
  }

  public AgentRunFlyweight gpuMs(long value) {
    writable().putLong(offset + GPU_MS_OFFSET, value, LE);
    return this;
  }

  public AgentRunFlyweight peakMemoryBytes(long value) {
    writable().putLong(offset + PEAK_MEMORY_BYTES_OFFSET, value, LE);
    return this;
  }

  public AgentRunFlyweight model(byte[] src, int srcOffset) {
    writable().putBytes(offset + MODEL_OFFSET, src, srcOffset, HASH_LENGTH);
    return this;
  }

  public AgentRunFlyweight outcome(byte value) {
    writable().putByte(offset + OUTCOME_OFFSET, value);
    return this;
  }

  public AgentRunFlyweight priority(int value) {
    if (value < 0 || value > 0xFF) {
      throw new IllegalArgumentException("priority must fit u8: " + value);
    }
    writable().putByte(offset + PRIORITY_OFFSET, (byte) value);
    return this;
  }

  public AgentRunFlyweight maxFee(long value) {
    writable().putLong(offset + MAX_FEE_OFFSET, value, LE);
    return this;
  }

  public AgentRunFlyweight metadataCid(byte[] src, int srcOffset) {
    writable().putBytes(offset + METADATA_CID_OFFSET, src, srcOffset, METADATA_CID_LENGTH);
    return this;
  }

  public AgentRunFlyweight signature(byte[] src, int srcOffset) {
    writable().putBytes(offset + SIGNATURE_OFFSET, src, srcOffset, SIGNATURE_LENGTH);
    return this;
  }

  // ---- validation, signing, identity -------------------------------------------------------

  /** Field validation (no signature check); {@link AgentRunError#NONE} when valid. */
  public AgentRunError validate() {
    if (version() != VERSION_1) {
      return AgentRunError.UNKNOWN_VERSION;
    }
    if (RunKind.fromCode(kind()) != RunKind.RUN) {
      return AgentRunError.UNKNOWN_KIND;
    }
    if (isZero(offset + AGENT_OFFSET, KEY_LENGTH)) {
      return AgentRunError.ZERO_AGENT_KEY;
    }
    if (isZero(offset + PAYER_OFFSET, KEY_LENGTH)) {
      return AgentRunError.ZERO_PAYER_KEY;
    }
    long started = startedAt();
    if (started == 0) {
      return AgentRunError.ZERO_STARTED_AT;
    }
    if (Long.compareUnsigned(endedAt(), started) < 0) {
      return AgentRunError.ENDED_BEFORE_STARTED;
    }
    if (RunOutcome.fromCode(outcome()) == null) {
      return AgentRunError.UNKNOWN_OUTCOME;
    }
    if (priority() >= PRIORITY_LANES) {
      return AgentRunError.PRIORITY_OUT_OF_RANGE;
    }
    if (!validMetadataCid()) {
      return AgentRunError.BAD_METADATA_CID;
    }
    return AgentRunError.NONE;
  }

  private boolean validMetadataCid() {
    int at = offset + METADATA_CID_OFFSET;
    if (isZero(at, METADATA_CID_LENGTH)) {
      return true;
    }
    // CIDv1 binary: version 0x01, codec raw 0x55 or dag-cbor 0x71, multihash sha2-256 (0x12),
    // digest length 32 (0x20), 32 digest bytes.
    byte codec = buffer.getByte(at + 1);
    return buffer.getByte(at) == 0x01
        && (codec == 0x55 || codec == 0x71)
        && buffer.getByte(at + 2) == 0x12
        && buffer.getByte(at + 3) == 0x20;
  }

  private boolean isZero(int index, int length) {
    long acc = 0;
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      acc |= buffer.getLong(index + i);
    }
    for (; i < length; i++) {
      acc |= buffer.getByte(index + i);
    }
    return acc == 0;
  }

  /**
   * Writes the signed message, {@code "agentledger/run/v1" || chain_id (u32 LE) || body}, into
   * {@code dst[dstOffset, +SIGNING_MESSAGE_LENGTH)}.
   *
   * @return the number of bytes written
   */
  public int signingMessage(byte[] dst, int dstOffset) {
    System.arraycopy(SIGNING_DOMAIN, 0, dst, dstOffset, SIGNING_DOMAIN.length);
    int at = dstOffset + SIGNING_DOMAIN.length;
    buffer.getBytes(offset + CHAIN_ID_OFFSET, dst, at, 4);
    buffer.getBytes(offset, dst, at + 4, BODY_LENGTH);
    return SIGNING_MESSAGE_LENGTH;
  }

  /** Verifies the signature over the signed message with the agent key (no field validation). */
  public boolean verifySignature() {
    int length = signingMessage(messageScratch, 0);
    buffer.getBytes(offset + SIGNATURE_OFFSET, messageScratch, length, SIGNATURE_LENGTH);
    getAgent(keyScratch, 0);
    return Ed25519.verify(keyScratch, 0, messageScratch, length, messageScratch, 0, length);
  }

  /** Signs the record in place with a seed whose public key is the record's agent key. */
  public AgentRunFlyweight sign(dev.agentledger.sig.Ed25519KeyPair key) {
    int length = signingMessage(messageScratch, 0);
    key.sign(messageScratch, 0, length, messageScratch, length);
    writable().putBytes(offset + SIGNATURE_OFFSET, messageScratch, length, SIGNATURE_LENGTH);
    return this;
  }

  /** The transaction id, SHA-256(signed message || signature), into {@code dst[dstOffset, +32)}. */
  public void transactionId(Sha256 hasher, byte[] dst, int dstOffset) {
    int length = signingMessage(messageScratch, 0);
    buffer.getBytes(offset + SIGNATURE_OFFSET, messageScratch, length, SIGNATURE_LENGTH);
    hasher.reset().update(messageScratch, 0, ID_PREIMAGE_LENGTH).digest(dst, dstOffset);
  }

  /** The transaction id as a new array (for tools and tests). */
  public byte[] transactionId() {
    byte[] id = new byte[Sha256.DIGEST_BYTES];
    transactionId(Sha256.perThread(), id, 0);
    return id;
  }
}
