package dev.agentledger.node.tx;

/**
 * Offsets and lengths of the {@code AgentRun} wire layout (DESIGN.md section 1): fixed size,
 * little-endian, fields in table order, no padding. Computed once; {@link #checkCapacity} guards
 * every wrap.
 *
 * <pre>
 *   off  len  field                off  len  field
 *     0    1  version               144    8  input_tokens
 *     1    1  kind                  152    8  output_tokens
 *     2    4  chain_id              160    8  compute_ms
 *     6    2  shard_hint            168    8  gpu_ms
 *     8   32  agent                 176    8  peak_memory_bytes
 *    40   32  payer                 184   32  model
 *    72    8  nonce                 216    1  outcome
 *    80   16  task_id               217    1  priority
 *    96   32  parent_run            218    8  max_fee
 *   128    8  started_at            226   36  metadata_cid
 *   136    8  ended_at              262   64  signature       (326 bytes in all)
 * </pre>
 */
public final class AgentRunDescriptor {
  private AgentRunDescriptor() {}

  public static final int VERSION_OFFSET = 0;
  public static final int KIND_OFFSET = VERSION_OFFSET + 1;
  public static final int CHAIN_ID_OFFSET = KIND_OFFSET + 1;
  public static final int SHARD_HINT_OFFSET = CHAIN_ID_OFFSET + 4;
  public static final int AGENT_OFFSET = SHARD_HINT_OFFSET + 2;
  public static final int KEY_LENGTH = 32;
  public static final int PAYER_OFFSET = AGENT_OFFSET + KEY_LENGTH;
  public static final int NONCE_OFFSET = PAYER_OFFSET + KEY_LENGTH;
  public static final int TASK_ID_OFFSET = NONCE_OFFSET + 8;
  public static final int TASK_ID_LENGTH = 16;
  public static final int PARENT_RUN_OFFSET = TASK_ID_OFFSET + TASK_ID_LENGTH;
  public static final int HASH_LENGTH = 32;
  public static final int STARTED_AT_OFFSET = PARENT_RUN_OFFSET + HASH_LENGTH;
  public static final int ENDED_AT_OFFSET = STARTED_AT_OFFSET + 8;
  public static final int INPUT_TOKENS_OFFSET = ENDED_AT_OFFSET + 8;
  public static final int OUTPUT_TOKENS_OFFSET = INPUT_TOKENS_OFFSET + 8;
  public static final int COMPUTE_MS_OFFSET = OUTPUT_TOKENS_OFFSET + 8;
  public static final int GPU_MS_OFFSET = COMPUTE_MS_OFFSET + 8;
  public static final int PEAK_MEMORY_BYTES_OFFSET = GPU_MS_OFFSET + 8;
  public static final int MODEL_OFFSET = PEAK_MEMORY_BYTES_OFFSET + 8;
  public static final int OUTCOME_OFFSET = MODEL_OFFSET + HASH_LENGTH;
  public static final int PRIORITY_OFFSET = OUTCOME_OFFSET + 1;
  public static final int MAX_FEE_OFFSET = PRIORITY_OFFSET + 1;
  public static final int METADATA_CID_OFFSET = MAX_FEE_OFFSET + 8;
  public static final int METADATA_CID_LENGTH = 36;
  public static final int SIGNATURE_OFFSET = METADATA_CID_OFFSET + METADATA_CID_LENGTH;
  public static final int SIGNATURE_LENGTH = 64;

  /** Bytes of the fields covered by the signature (everything before it). */
  public static final int BODY_LENGTH = SIGNATURE_OFFSET;

  /** Bytes of one encoded record. */
  public static final int ENCODED_LENGTH = SIGNATURE_OFFSET + SIGNATURE_LENGTH;

  /** Domain separation prefix of the signed message (ASCII, no terminator). */
  public static final byte[] SIGNING_DOMAIN =
      "agentledger/run/v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Bytes of the signed message: domain || chain_id (u32 LE) || body. */
  public static final int SIGNING_MESSAGE_LENGTH = SIGNING_DOMAIN.length + 4 + BODY_LENGTH;

  /** Bytes hashed into the transaction id: the signed message followed by the signature. */
  public static final int ID_PREIMAGE_LENGTH = SIGNING_MESSAGE_LENGTH + SIGNATURE_LENGTH;

  /** The current encoding version. */
  public static final byte VERSION_1 = 1;

  /** Number of admission lanes; priority must be below this (0 = highest). */
  public static final int PRIORITY_LANES = 8;

  /**
   * Throws unless {@code capacity - offset} can hold one record.
   *
   * @throws IndexOutOfBoundsException naming the shortfall
   */
  public static void checkCapacity(int offset, int capacity) {
    if (offset < 0 || capacity - offset < ENCODED_LENGTH) {
      throw new IndexOutOfBoundsException(
          "AgentRun needs "
              + ENCODED_LENGTH
              + " bytes at offset "
              + offset
              + ", buffer capacity is "
              + capacity);
    }
  }
}
