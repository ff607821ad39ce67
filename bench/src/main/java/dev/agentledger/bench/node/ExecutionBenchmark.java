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
import dev.agentledger.node.tx.AgentRunDescriptor;
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
 * <p>Steady state: the state is built from genesis once per trial and carried across iterations, as
 * a validator's is. The runs come from {@value #TEMPLATES} pre-signed commits of {@value
 * #PER_COMMIT} runs over {@code agents} agents, used in turn; before each invocation (outside the
 * measured time) the next one gets the next sequence and each run its agent's next nonce, patched
 * in place (no allocation). With {@code verify=false} the patched signatures are never checked, as
 * execution trusts certified batches; with {@code verify=true} the setup signs the commit's runs
 * again, so {@code -prof gc}'s bytes for that case include the signing.
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
  static final int TEMPLATES = 8;
  private static final int CHAIN = 7;

  @Param({"false", "true"})
  public boolean verify;

  @Param({"1000"})
  public int agents;

  private Ed25519KeyPair[] keys;
  private LedgerExecutor executor;
  private final CommitOutput output = new CommitOutput();

  /** The template commits' runs, their fields, and each run's agent. */
  private final List<List<byte[]>> templates = new ArrayList<>();

  private int[][] agentOf;
  private int[][] fields;
  private long[] nonce;
  private long sequence;
  private CommittedInput next;

  @Setup(Level.Trial)
  public void genesis() {
    SplittableRandom random = new SplittableRandom(42);
    keys = new Ed25519KeyPair[agents];
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
    ExecutionGenesis genesis =
        new ExecutionGenesis(CHAIN, new FeeSchedule(1_000, 1, 2, 8, 1, 10), accounts);
    nonce = new long[agents];
    agentOf = new int[TEMPLATES][PER_COMMIT];
    fields = new int[TEMPLATES][PER_COMMIT * 5];
    for (int c = 0; c < TEMPLATES; c++) {
      List<byte[]> txs = new ArrayList<>(PER_COMMIT);
      for (int t = 0; t < PER_COMMIT; t++) {
        agentOf[c][t] = random.nextInt(agents);
        fields[c][5 * t] = random.nextInt(64);
        fields[c][5 * t + 1] = random.nextInt(8);
        fields[c][5 * t + 2] = 100 + random.nextInt(5000);
        fields[c][5 * t + 3] = 10 + random.nextInt(2000);
        fields[c][5 * t + 4] = random.nextInt(10_000);
        txs.add(run(c, t, 0));
      }
      templates.add(List.copyOf(txs));
    }
    executor = new LedgerExecutor(genesis, SmtStateStore.inMemory(), verify);
    sequence = 0;
  }

  private byte[] run(int template, int t, long runNonce) {
    int[] f = fields[template];
    byte[] task = new byte[16];
    byte[] model = new byte[32];
    task[0] = (byte) f[5 * t];
    model[0] = (byte) f[5 * t + 1];
    return new AgentRunBuilder()
        .chainId(CHAIN)
        .nonce(runNonce)
        .taskId(task)
        .model(model)
        .startedAt(1_000_000_000L)
        .endedAt(2_000_000_000L)
        .inputTokens(f[5 * t + 2])
        .outputTokens(f[5 * t + 3])
        .computeMs(f[5 * t + 4])
        .maxFee(1L << 40)
        .sign(keys[agentOf[template][t]]);
  }

  /** The next commit: the next template, the next sequence, each agent's next nonces. */
  @Setup(Level.Invocation)
  public void nextCommit() {
    int c = (int) (sequence % TEMPLATES);
    List<byte[]> txs = templates.get(c);
    if (verify) {
      List<byte[]> signed = new ArrayList<>(PER_COMMIT);
      for (int t = 0; t < PER_COMMIT; t++) {
        signed.add(run(c, t, nonce[agentOf[c][t]]++));
      }
      txs = signed;
    } else {
      for (int t = 0; t < PER_COMMIT; t++) {
        long n = nonce[agentOf[c][t]]++;
        byte[] record = txs.get(t);
        for (int k = 0; k < 8; k++) {
          record[AgentRunDescriptor.NONCE_OFFSET + k] = (byte) (n >>> (8 * k));
        }
      }
    }
    sequence++;
    next = new CommittedInput(sequence, sequence, ANCHOR, List.of(), txs);
  }

  private static final byte[] ANCHOR = new byte[32];

  @Benchmark
  @OperationsPerInvocation(PER_COMMIT)
  public byte[] executeCommit() {
    return executor.executeInto(next, output).stateRoot();
  }
}
