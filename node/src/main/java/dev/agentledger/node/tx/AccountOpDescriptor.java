package dev.agentledger.node.tx;

import java.nio.charset.StandardCharsets;

/**
 * Offsets and lengths of the {@code AccountOp} wire layout: the transaction kinds that change
 * accounts rather than record runs ({@link RunKind#PERMISSION}, {@link RunKind#AUTHORIZE}, {@link
 * RunKind#TRANSFER}, {@link RunKind#REGISTER_AGENT}). Fixed size, little-endian, no padding; the
 * first eight bytes (version, kind, chain_id, shard_hint) are laid out exactly as in {@link
 * AgentRunDescriptor}, so a reader tells the two layouts apart by the kind byte at offset 1.
 *
 * <pre>
 *   off  len  field
 *     0    1  version      (1)
 *     1    1  kind         PERMISSION=2, AUTHORIZE=3, TRANSFER=4, REGISTER_AGENT=5
 *     2    4  chain_id
 *     6    2  shard_hint
 *     8   32  signer       Ed25519 public key of the account that signs (and pays the fee)
 *    40    8  nonce        the signer's next nonce (shared with its runs)
 *    48   32  target       the account the operation acts on
 *    80    8  argument     PERMISSION: new role bit set; AUTHORIZE: 1 grant, 0 revoke;
 *                          TRANSFER: amount; REGISTER_AGENT: 0
 *    88    8  max_fee      most the signer accepts to pay
 *    96   64  signature    Ed25519 over "agentledger/account/v1" || chain_id || bytes [0, 96)
 *                          (160 bytes in all)
 * </pre>
 */
public final class AccountOpDescriptor {
  private AccountOpDescriptor() {}

  public static final int VERSION_OFFSET = 0;
  public static final int KIND_OFFSET = 1;
  public static final int CHAIN_ID_OFFSET = 2;
  public static final int SHARD_HINT_OFFSET = 6;
  public static final int KEY_LENGTH = 32;
  public static final int SIGNER_OFFSET = 8;
  public static final int NONCE_OFFSET = SIGNER_OFFSET + KEY_LENGTH;
  public static final int TARGET_OFFSET = NONCE_OFFSET + 8;
  public static final int ARGUMENT_OFFSET = TARGET_OFFSET + KEY_LENGTH;
  public static final int MAX_FEE_OFFSET = ARGUMENT_OFFSET + 8;
  public static final int SIGNATURE_OFFSET = MAX_FEE_OFFSET + 8;
  public static final int SIGNATURE_LENGTH = 64;

  /** Bytes covered by the signature. */
  public static final int BODY_LENGTH = SIGNATURE_OFFSET;

  /** Bytes of one encoded record. */
  public static final int ENCODED_LENGTH = SIGNATURE_OFFSET + SIGNATURE_LENGTH;

  /** Domain separation prefix of the signed message (ASCII, no terminator). */
  public static final byte[] SIGNING_DOMAIN =
      "agentledger/account/v1".getBytes(StandardCharsets.US_ASCII);

  /** Bytes of the signed message: domain || chain_id (u32 LE) || body. */
  public static final int SIGNING_MESSAGE_LENGTH = SIGNING_DOMAIN.length + 4 + BODY_LENGTH;

  /** Bytes hashed into the transaction id: the signed message followed by the signature. */
  public static final int ID_PREIMAGE_LENGTH = SIGNING_MESSAGE_LENGTH + SIGNATURE_LENGTH;

  public static final byte VERSION_1 = 1;

  /** AUTHORIZE argument values. */
  public static final long AUTHORIZE_REVOKE = 0;

  public static final long AUTHORIZE_GRANT = 1;

  /** Throws unless {@code capacity - offset} can hold one record. */
  public static void checkCapacity(int offset, int capacity) {
    if (offset < 0 || capacity - offset < ENCODED_LENGTH) {
      throw new IndexOutOfBoundsException(
          "AccountOp needs "
              + ENCODED_LENGTH
              + " bytes at offset "
              + offset
              + ", buffer capacity is "
              + capacity);
    }
  }
}
