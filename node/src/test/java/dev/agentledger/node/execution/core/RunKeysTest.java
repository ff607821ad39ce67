package dev.agentledger.node.execution.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.hash.Sha256;
import dev.agentledger.hash.simd.WarmSha256;
import dev.agentledger.node.tx.AccountOpBuilder;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.node.tx.RunKind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class RunKeysTest {
  private static final int[] SIZES = {1, RunKeys.SIMD_GROUP - 1, RunKeys.SIMD_GROUP, 37, 300};

  /**
   * Commits of every size around the multi-buffer threshold, mixing self-paid runs, runs billed to
   * another key, zero and non-zero parents, account operations and malformed records: every slot
   * the executor reads equals the key derived one at a time ({@link StateKeys}), and records that
   * are not runs get none; the same with the process-wide SHA-256 gate ({@link WarmSha256}) held
   * open (every group of {@link RunKeys#SIMD_GROUP} or more through the multi-buffer engine), held
   * shut (the JDK's SHA-256 only) and measuring.
   */
  @Test
  void derivedIdsAndKeysEqualTheOneAtATimeDerivation() {
    try {
      for (int mode : new int[] {WarmSha256.OPEN, WarmSha256.SHUT, WarmSha256.MEASURED}) {
        WarmSha256.force(mode);
        deriveAndCheck(new RunKeys(new Sha256()));
      }
    } finally {
      WarmSha256.force(WarmSha256.MEASURED);
    }
  }

  private static void deriveAndCheck(RunKeys keys) {
    SplittableRandom random = new SplittableRandom(7);
    for (int size : SIZES) {
      List<byte[]> records = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        records.add(record(random, i));
      }
      keys.derive(TransactionRecords.copyOf(records));
      byte[] slot = new byte[32];
      for (int i = 0; i < size; i++) {
        byte[] record = records.get(i);
        if (RunKeys.kindOf(record) != RunKind.RUN) {
          int index = i;
          assertThatThrownBy(() -> keys.copy(index, RunKeys.ID, slot))
              .isInstanceOf(IllegalStateException.class);
          continue;
        }
        AgentRunFlyweight run = new AgentRunFlyweight().wrap(new UnsafeBuffer(record), 0);
        byte[] agent = new byte[32];
        byte[] payer = new byte[32];
        byte[] parent = new byte[32];
        byte[] task = new byte[16];
        byte[] model = new byte[32];
        run.getAgent(agent, 0);
        run.getPayer(payer, 0);
        run.getParentRun(parent, 0);
        run.getTaskId(task, 0);
        run.getModel(model, 0);
        byte[] id = run.transactionId();
        expectSlot(keys, i, RunKeys.ID, id);
        expectSlot(keys, i, RunKeys.SIGNER, StateKeys.account(agent));
        if (!java.util.Arrays.equals(agent, payer)) {
          expectSlot(keys, i, RunKeys.PAYER, StateKeys.account(payer));
          expectSlot(keys, i, RunKeys.AUTHORIZATION, StateKeys.authorization(payer, agent));
        }
        if (!java.util.Arrays.equals(parent, new byte[32])) {
          expectSlot(keys, i, RunKeys.PARENT, StateKeys.run(parent));
        }
        expectSlot(keys, i, RunKeys.USAGE, StateKeys.usage(StateKeys.SCOPE_AGENT, agent));
        expectSlot(keys, i, RunKeys.USAGE + 1, StateKeys.usage(StateKeys.SCOPE_PAYER, payer));
        expectSlot(keys, i, RunKeys.USAGE + 2, StateKeys.usage(StateKeys.SCOPE_TASK, task));
        expectSlot(keys, i, RunKeys.USAGE + 3, StateKeys.usage(StateKeys.SCOPE_MODEL, model));
        expectSlot(keys, i, RunKeys.RUN, StateKeys.run(id));
      }
    }
  }

  private static void expectSlot(RunKeys keys, int index, int slot, byte[] expected) {
    byte[] out = new byte[32];
    keys.copy(index, slot, out);
    assertThat(out).as("record %d slot %d", index, slot).isEqualTo(expected);
  }

  private static byte[] record(SplittableRandom random, int i) {
    byte[] agent = bytes(random, 32);
    switch (i % 7) {
      case 5 -> {
        return new AccountOpBuilder(RunKind.TRANSFER)
            .chainId(1)
            .target(bytes(random, 32))
            .argument(5)
            .sign(dev.agentledger.sig.Ed25519KeyPair.fromSeed(agent));
      }
      case 6 -> {
        byte[] truncated = new byte[1 + random.nextInt(40)];
        truncated[truncated.length > 1 ? 1 : 0] = (byte) RunKind.RUN.code();
        return truncated;
      }
      default -> {
        AgentRunBuilder builder =
            new AgentRunBuilder()
                .chainId(1)
                .nonce(random.nextLong())
                .taskId(bytes(random, 16))
                .model(bytes(random, 32))
                .inputTokens(random.nextInt(1000));
        if (i % 2 == 1) {
          builder.payer(bytes(random, 32));
        }
        if (i % 3 != 0) {
          builder.parentRun(bytes(random, 32));
        }
        byte[] record = builder.unsigned(agent);
        random.nextBytes(agent);
        System.arraycopy(
            bytes(random, 64),
            0,
            record,
            dev.agentledger.node.tx.AgentRunDescriptor.SIGNATURE_OFFSET,
            64);
        return record;
      }
    }
  }

  private static byte[] bytes(SplittableRandom random, int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }
}
