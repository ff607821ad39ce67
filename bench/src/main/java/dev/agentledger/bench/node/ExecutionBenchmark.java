package dev.agentledger.bench.node;

import dev.agentledger.node.execution.core.CommitOutput;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.ExecutionGenesis;
import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.execution.core.GenesisAccount;
import dev.agentledger.node.execution.core.LedgerExecutor;
import dev.agentledger.node.execution.core.Roles;
import dev.agentledger.node.execution.state.SmtStateStore;
import dev.agentledger.node.tx.AgentRunBuilder;
import dev.agentledger.sig.Ed25519KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Execution of ordered commits of {@value #PER_COMMIT} signed RUNs by the pure {@link
 * LedgerExecutor} over the sparse-Merkle {@link SmtStateStore} (in-memory node store): nonce,
 * permissions, fee, usage totals per agent / payer / task / model, run history, one state root per
 * commit, written into a reused {@link CommitOutput} ({@link LedgerExecutor#executeInto}). Reported
 * per transaction. {@code verify=true} adds the single-signature verification execution does when
 * it does not trust ingress ({@code node run --execution-verify}); the difference between the two
 * is the cost a validator saves by trusting certified batches.
 *
 * <p>The stream is pre-signed ({@code commits} x {@value #PER_COMMIT} runs over {@code agents}
 * agents, nonces in order); each measurement iteration starts from genesis again.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xmx4g",
      "--add-modules",
      "jdk.incubator.vector",
      "--enable-native-access=ALL-UNNAMED",
      "--add-exports",
      "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--sun-misc-unsafe-memory-access=allow"
    })
public class ExecutionBenchmark {
  static final int PER_COMMIT = 1000;
  private static final int CHAIN = 7;

  @Param({"false", "true"})
  public boolean verify;

  @Param({"1000"})
  public int agents;

  private final int commits = 40;
  private ExecutionGenesis genesis;
  private List<CommittedInput> stream;
  private LedgerExecutor executor;
  private final CommitOutput output = new CommitOutput();
  private int next;

  @Setup(Level.Trial)
  public void sign() {
    SplittableRandom random = new SplittableRandom(42);
    Ed25519KeyPair[] keys = new Ed25519KeyPair[agents];
    List<GenesisAccount> accounts = new ArrayList<>();
    for (int a = 0; a < agents; a++) {
      byte[] seed = new byte[32];
      for (int i = 0; i < 32; i++) {
        seed[i] = (byte) random.nextInt();
      }
      keys[a] = Ed25519KeyPair.fromSeed(seed);
      accounts.add(
          new GenesisAccount(
              keys[a].publicKey(), Roles.AGENT | (a == 0 ? Roles.ADMIN : 0), 1L << 50));
    }
    genesis = new ExecutionGenesis(CHAIN, new FeeSchedule(1_000, 1, 2, 8, 1, 10), accounts);
    long[] nonce = new long[agents];
    stream = new ArrayList<>(commits);
    byte[] task = new byte[16];
    byte[] model = new byte[32];
    for (int c = 0; c < commits; c++) {
      List<byte[]> txs = new ArrayList<>(PER_COMMIT);
      for (int t = 0; t < PER_COMMIT; t++) {
        int a = random.nextInt(agents);
        task[0] = (byte) random.nextInt(64);
        model[0] = (byte) random.nextInt(8);
        txs.add(
            new AgentRunBuilder()
                .chainId(CHAIN)
                .nonce(nonce[a]++)
                .taskId(task)
                .model(model)
                .startedAt(1_000_000_000L)
                .endedAt(2_000_000_000L)
                .inputTokens(100 + random.nextInt(5000))
                .outputTokens(10 + random.nextInt(2000))
                .computeMs(random.nextInt(10_000))
                .maxFee(1L << 40)
                .sign(keys[a]));
      }
      stream.add(new CommittedInput(c + 1, c, new byte[32], List.of(), txs));
    }
  }

  @Setup(Level.Iteration)
  public void fromGenesis() {
    executor = new LedgerExecutor(genesis, SmtStateStore.inMemory(), verify);
    next = 0;
  }

  @Benchmark
  @OperationsPerInvocation(PER_COMMIT)
  public byte[] executeCommit() {
    if (next == stream.size()) {
      fromGenesis();
    }
    return executor.executeInto(stream.get(next++), output).stateRoot();
  }
}
