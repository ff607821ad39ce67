package dev.agentledger.node.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.mempool.core.Mempool;
import dev.agentledger.node.mempool.core.MempoolConfig;
import dev.agentledger.node.mempool.core.TxSink;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.tx.AccountOpBuilder;
import dev.agentledger.node.tx.TransactionSlot;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Account operations through the client ingress: each travels in a run-sized slot, gets the cheap
 * checks that apply to it, its own signature verification, and shares its signer's nonce queue with
 * the signer's runs in the mempool.
 */
class AccountOpIngressTest {
  static final int CHAIN = IngressProcessorTest.CHAIN;
  static final long NOW = IngressProcessorTest.NOW;
  static final Ed25519KeyPair ADMIN = IngressProcessorTest.key(7);
  static final byte[] NEW_AGENT = IngressProcessorTest.key(8).publicKey();
  static final FeeSchedule FEES = new FeeSchedule(100, 1, 2, 3, 5, 7);

  final Mempool mempool = new Mempool(new MempoolConfig(64, 16, 16, 64, 0, 0, 16, 0, 0));
  final IngressProcessor ingress =
      new IngressProcessor(
          new IngressChecks(new IngressConfig(CHAIN, 0, 10, 1_000_000_000L, 0, FEES)),
          new SingleEd25519Verifier(),
          mempool);
  final UnsafeBuffer out = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME]);

  static AccountOpBuilder register(long nonce) {
    return AccountOpBuilder.registerAgent(NEW_AGENT).chainId(CHAIN).nonce(nonce).maxFee(1_000);
  }

  List<TxStatus> submit(List<byte[]> records) {
    List<byte[]> slots = new ArrayList<>();
    for (byte[] r : records) {
      slots.add(r.length == TransactionSlot.LENGTH ? r : TransactionSlot.pad(r));
    }
    UnsafeBuffer frame = IngressProcessorTest.submit(slots);
    assertThat(Wire.validate(frame, 0, frame.capacity())).isEqualTo(Wire.FrameError.OK);
    int n = ingress.onSubmit(frame, 0, 1, 0, NOW, out, 0);
    assertThat(Wire.validate(out, 0, n)).isEqualTo(Wire.FrameError.OK);
    List<TxStatus> statuses = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      statuses.add(TxStatus.fromCode(out.getByte(Wire.HEADER_LENGTH + Wire.RESULT_CODES + i)));
    }
    return statuses;
  }

  @Test
  void everyCheckAppliesToAccountOperations() {
    byte[] badSignature = register(1).sign(ADMIN);
    badSignature[100] ^= 1;
    byte[] padded = TransactionSlot.pad(register(1).sign(ADMIN));
    padded[TransactionSlot.LENGTH - 1] = 1; // a byte after the operation
    byte[] badArgument = register(1).argument(3).sign(ADMIN);
    assertThat(
            submit(
                List.of(
                    register(0).sign(ADMIN),
                    register(1).chainId(CHAIN + 1).sign(ADMIN),
                    register(1).shardHint(2).sign(ADMIN),
                    register(1).maxFee(9).sign(ADMIN),
                    register(1).maxFee(99).sign(ADMIN),
                    badSignature,
                    padded,
                    badArgument,
                    register(0).sign(ADMIN),
                    register(1).sign(ADMIN))))
        .containsExactly(
            TxStatus.ACCEPTED,
            TxStatus.WRONG_CHAIN,
            TxStatus.WRONG_SHARD,
            TxStatus.FEE_TOO_LOW,
            TxStatus.FEE_EXCEEDS_MAX_FEE, // the fee of 160 bytes is 100 + 160
            TxStatus.BAD_SIGNATURE,
            TxStatus.MALFORMED,
            TxStatus.MALFORMED,
            TxStatus.NONCE_REPLAY,
            TxStatus.ACCEPTED);
  }

  @Test
  void runsAndAccountOperationsShareTheSignersNonceQueue() {
    Ed25519KeyPair signer = IngressProcessorTest.AGENT;
    assertThat(
            submit(
                List.of(
                    IngressProcessorTest.valid(0).maxFee(10_000).sign(signer),
                    AccountOpBuilder.transfer(NEW_AGENT, 5)
                        .chainId(CHAIN)
                        .nonce(2)
                        .maxFee(1_000)
                        .sign(signer), // held: nonce 1 is missing
                    AccountOpBuilder.authorize(NEW_AGENT, true)
                        .chainId(CHAIN)
                        .nonce(1)
                        .maxFee(1_000)
                        .sign(signer))))
        .containsOnly(TxStatus.ACCEPTED);
    List<Long> drained = new ArrayList<>();
    TxSink sink = (buffer, offset) -> drained.add(TransactionSlot.nonce(buffer, offset));
    mempool.drain(10, sink);
    assertThat(drained).containsExactly(0L, 1L, 2L);
  }

  @Test
  void theSlotIsTheOperationFollowedByZerosAndKeepsItsId() {
    byte[] op = register(0).sign(ADMIN);
    byte[] slot = TransactionSlot.pad(op);
    assertThat(slot).hasSize(TransactionSlot.LENGTH);
    UnsafeBuffer buffer = new UnsafeBuffer(slot);
    assertThat(TransactionSlot.isAccountOp(buffer, 0)).isTrue();
    assertThat(TransactionSlot.recordLength(buffer, 0)).isEqualTo(op.length);
    assertThat(TransactionSlot.nonce(buffer, 0)).isZero();
    assertThat(TransactionSlot.maxFee(buffer, 0)).isEqualTo(1_000);
    byte[] id = new byte[32];
    new TransactionSlot().transactionId(buffer, 0, new dev.agentledger.hash.Sha256(), id, 0);
    assertThat(id)
        .isEqualTo(
            new dev.agentledger.node.tx.AccountOpFlyweight()
                .wrap(new UnsafeBuffer(op), 0)
                .transactionId());
    byte[] run = IngressProcessorTest.valid(0).sign(ADMIN);
    assertThat(TransactionSlot.pad(run)).isSameAs(run);
    assertThat(TransactionSlot.nonce(new UnsafeBuffer(run), 0))
        .isEqualTo(new UnsafeBuffer(run).getLong(72, ByteOrder.LITTLE_ENDIAN));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TransactionSlot.pad(new byte[100]))
        .hasMessageContaining("326 bytes (a run) or 160 bytes");
  }
}
