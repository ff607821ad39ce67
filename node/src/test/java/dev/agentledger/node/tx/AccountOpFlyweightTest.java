package dev.agentledger.node.tx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.hash.Sha256;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class AccountOpFlyweightTest {
  private static final Ed25519KeyPair SIGNER = Ed25519KeyPair.fromSeed(new byte[32]);

  @Property(tries = 50)
  void fieldsSitWhereTheLayoutSaysAndTheSignatureCoversThem(
      @ForAll int chainId,
      @ForAll long nonce,
      @ForAll long amount,
      @ForAll long maxFee,
      @ForAll byte[] seed) {
    byte[] target = Sha256.digest(seed);
    byte[] record =
        AccountOpBuilder.transfer(target, amount)
            .chainId(chainId)
            .nonce(nonce)
            .maxFee(maxFee)
            .sign(SIGNER);
    assertThat(record).hasSize(160);
    // Read back with a ByteBuffer, independent of the flyweight.
    ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.get(0)).isEqualTo((byte) 1);
    assertThat(b.get(1)).isEqualTo(RunKind.TRANSFER.code());
    assertThat(b.getInt(2)).isEqualTo(chainId);
    assertThat(b.getLong(40)).isEqualTo(nonce);
    assertThat(b.getLong(80)).isEqualTo(amount);
    assertThat(b.getLong(88)).isEqualTo(maxFee);
    byte[] signerKey = new byte[32];
    b.get(8, signerKey);
    assertThat(signerKey).isEqualTo(SIGNER.publicKey());
    // Signed message = domain || chain_id || first 96 bytes.
    byte[] domain = "agentledger/account/v1".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer message = ByteBuffer.allocate(domain.length + 4 + 96).order(ByteOrder.LITTLE_ENDIAN);
    message.put(domain).putInt(chainId).put(record, 0, 96);
    byte[] signature = new byte[64];
    b.get(96, signature);
    assertThat(Ed25519.verify(SIGNER.publicKey(), signature, message.array())).isTrue();
    AccountOpFlyweight op = new AccountOpFlyweight().wrap(new UnsafeBuffer(record), 0);
    assertThat(op.verifySignature()).isTrue();
    assertThat(op.validate()).isEqualTo(AgentRunError.NONE);
    byte[] preimage = new byte[message.capacity() + 64];
    System.arraycopy(message.array(), 0, preimage, 0, message.capacity());
    System.arraycopy(signature, 0, preimage, message.capacity(), 64);
    assertThat(op.transactionId()).isEqualTo(Sha256.digest(preimage));
    for (int i = 0; i < record.length; i += 7) {
      byte[] copy = record.clone();
      copy[i] ^= 0x10;
      assertThat(new AccountOpFlyweight().wrap(new UnsafeBuffer(copy), 0).verifySignature())
          .as("byte %d", i)
          .isFalse();
    }
  }

  @Test
  void validationRefusesWhatExecutionCannotRead() {
    byte[] target = Sha256.digest(new byte[] {1});
    byte[] ok = AccountOpBuilder.authorize(target, true).sign(SIGNER);
    AccountOpFlyweight op = new AccountOpFlyweight();
    assertThat(op.wrap(new UnsafeBuffer(ok), 0).validate()).isEqualTo(AgentRunError.NONE);
    byte[] badArgument = AccountOpBuilder.authorize(target, true).argument(2).sign(SIGNER);
    assertThat(op.wrap(new UnsafeBuffer(badArgument), 0).validate())
        .isEqualTo(AgentRunError.BAD_ARGUMENT);
    byte[] zeroTarget = AccountOpBuilder.transfer(new byte[32], 1).sign(SIGNER);
    assertThat(op.wrap(new UnsafeBuffer(zeroTarget), 0).validate())
        .isEqualTo(AgentRunError.ZERO_TARGET_KEY);
    byte[] runKind = ok.clone();
    runKind[1] = RunKind.RUN.code();
    assertThat(op.wrap(new UnsafeBuffer(runKind), 0).validate())
        .isEqualTo(AgentRunError.UNKNOWN_KIND);
    // And an AgentRun record claiming an account kind is refused by the run flyweight.
    byte[] run =
        new AgentRunBuilder().kind(RunKind.TRANSFER.code()).startedAt(1).endedAt(2).sign(SIGNER);
    assertThat(new AgentRunFlyweight().wrap(new UnsafeBuffer(run), 0).validate())
        .isEqualTo(AgentRunError.UNKNOWN_KIND);
    assertThat(RunKind.fromCode((byte) 5)).isEqualTo(RunKind.REGISTER_AGENT);
    assertThat(RunKind.fromCode((byte) 6)).isNull();
    byte[] registerWithArgument = AccountOpBuilder.registerAgent(target).argument(1).sign(SIGNER);
    assertThat(op.wrap(new UnsafeBuffer(registerWithArgument), 0).validate())
        .isEqualTo(AgentRunError.BAD_ARGUMENT);
  }
}
