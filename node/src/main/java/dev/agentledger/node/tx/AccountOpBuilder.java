package dev.agentledger.node.tx;

import dev.agentledger.sig.Ed25519KeyPair;
import org.agrona.concurrent.UnsafeBuffer;

/** Builds signed {@code AccountOp} records for tests and tools (a fresh array per sign). */
public final class AccountOpBuilder {
  private final byte[] record = new byte[AccountOpDescriptor.ENCODED_LENGTH];
  private final AccountOpFlyweight op = new AccountOpFlyweight();

  public AccountOpBuilder(RunKind kind) {
    if (!kind.isAccountOp()) {
      throw new IllegalArgumentException("not an account operation kind: " + kind);
    }
    op.wrap(new UnsafeBuffer(record), 0);
    op.version(AccountOpDescriptor.VERSION_1).kind(kind.code());
  }

  /** PERMISSION: set {@code target}'s roles to {@code roleBits}. */
  public static AccountOpBuilder permission(byte[] target, long roleBits) {
    return new AccountOpBuilder(RunKind.PERMISSION).target(target).argument(roleBits);
  }

  /** AUTHORIZE: the signing operator lets {@code agent} bill to it (or revokes that). */
  public static AccountOpBuilder authorize(byte[] agent, boolean grant) {
    return new AccountOpBuilder(RunKind.AUTHORIZE)
        .target(agent)
        .argument(
            grant ? AccountOpDescriptor.AUTHORIZE_GRANT : AccountOpDescriptor.AUTHORIZE_REVOKE);
  }

  /** TRANSFER: move {@code amount} from the signer's balance to {@code target}. */
  public static AccountOpBuilder transfer(byte[] target, long amount) {
    return new AccountOpBuilder(RunKind.TRANSFER).target(target).argument(amount);
  }

  /** REGISTER_AGENT: give {@code agent} the agent role (an operator also authorises it). */
  public static AccountOpBuilder registerAgent(byte[] agent) {
    return new AccountOpBuilder(RunKind.REGISTER_AGENT).target(agent).argument(0);
  }

  public AccountOpBuilder chainId(int value) {
    op.chainId(value);
    return this;
  }

  public AccountOpBuilder shardHint(int value) {
    op.shardHint(value);
    return this;
  }

  public AccountOpBuilder nonce(long value) {
    op.nonce(value);
    return this;
  }

  public AccountOpBuilder target(byte[] key) {
    if (key.length != AccountOpDescriptor.KEY_LENGTH) {
      throw new IllegalArgumentException("target must be 32 bytes");
    }
    op.target(key, 0);
    return this;
  }

  public AccountOpBuilder argument(long value) {
    op.argument(value);
    return this;
  }

  public AccountOpBuilder maxFee(long value) {
    op.maxFee(value);
    return this;
  }

  /** Sets the signer to the key's public key, signs, returns a copy. */
  public byte[] sign(Ed25519KeyPair signer) {
    op.signer(signer.publicKey(), 0);
    op.sign(signer);
    return record.clone();
  }
}
