package dev.agentledger.node.execution;

import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.ExecutionGenesis;
import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.execution.core.GenesisAccount;
import dev.agentledger.node.execution.core.Roles;
import dev.agentledger.node.tx.AccountOpBuilder;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.tx.RunOutcome;
import dev.agentledger.sig.Ed25519KeyPair;
import java.util.List;

/** Keys, a genesis and record builders shared by the execution, commit, proof and query tests. */
public final class LedgerFixture {
  public static final int CHAIN = 7;
  public static final FeeSchedule FEES = new FeeSchedule(100, 1, 2, 3, 5, 7);

  public static final Ed25519KeyPair ADMIN = key(1);
  public static final Ed25519KeyPair OPERATOR = key(2);
  public static final Ed25519KeyPair AGENT = key(3);
  public static final Ed25519KeyPair AUDITOR = key(4);
  public static final Ed25519KeyPair STRANGER = key(5);
  public static final Ed25519KeyPair AGENT2 = key(6);

  private LedgerFixture() {}

  public static Ed25519KeyPair key(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    seed[31] = (byte) 0xA5;
    return Ed25519KeyPair.fromSeed(seed);
  }

  public static ExecutionGenesis genesis() {
    return new ExecutionGenesis(
        CHAIN,
        FEES,
        List.of(
            new GenesisAccount(ADMIN.publicKey(), Roles.ADMIN, 1_000_000),
            new GenesisAccount(OPERATOR.publicKey(), Roles.OPERATOR, 1_000_000),
            new GenesisAccount(AGENT.publicKey(), Roles.AGENT, 100_000),
            new GenesisAccount(AGENT2.publicKey(), Roles.AGENT, 0),
            new GenesisAccount(AUDITOR.publicKey(), Roles.AUDITOR, 100_000)));
  }

  public static byte[] task(int n) {
    byte[] t = new byte[16];
    t[0] = (byte) n;
    return t;
  }

  public static byte[] model(int n) {
    byte[] m = new byte[32];
    m[0] = (byte) n;
    m[1] = 0x4d;
    return m;
  }

  /** A signed run with small usage, self-paid unless {@code payer} is given. */
  public static AgentRunBuilder run(long nonce) {
    return new AgentRunBuilder()
        .chainId(CHAIN)
        .nonce(nonce)
        .taskId(task(1))
        .model(model(1))
        .startedAt(1_700_000_000_000_000_000L)
        .endedAt(1_700_000_001_000_000_000L)
        .inputTokens(10)
        .outputTokens(20)
        .computeMs(30)
        .gpuMs(40)
        .peakMemoryBytes(1 << 20)
        .outcome(RunOutcome.SUCCESS)
        .maxFee(Long.MAX_VALUE);
  }

  public static AccountOpBuilder op(AccountOpBuilder builder, long nonce) {
    return builder.chainId(CHAIN).nonce(nonce).maxFee(Long.MAX_VALUE);
  }

  public static CommittedInput commit(long sequence, List<byte[]> records) {
    byte[] anchor = new byte[32];
    anchor[0] = (byte) sequence;
    byte[] batch = new byte[32];
    batch[1] = (byte) sequence;
    return new CommittedInput(sequence, sequence * 2, anchor, List.of(batch), records);
  }
}
