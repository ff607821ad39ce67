package dev.agentledger.node.execution;

import dev.agentledger.node.events.EventLog;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.ExecutionGenesis;
import dev.agentledger.node.execution.core.GenesisAccount;
import dev.agentledger.node.execution.core.Roles;
import dev.agentledger.node.metrics.MetricsRegistry;
import dev.agentledger.node.query.memory.InMemoryQueryStore;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Measures what persisting execution costs per transaction: the same stream of signed runs (many
 * agents, self-paid, so every run writes account, four usage records and a run entry) through the
 * in-memory stage and the durable stage on RocksDB (one synced batch per commit). Prints per-tx
 * times of both, the time inside the batch write (from the stage's {@code persist_seconds}
 * histogram) and the bytes on disk per transaction. Signatures are not re-verified (that cost is
 * the same in both). A measurement, not a test: run it by hand.
 *
 * <pre>
 *   java -cp ... dev.agentledger.node.execution.DurableCommitCostMain DIR [commits] [txsPerCommit] [agents]
 * </pre>
 */
public final class DurableCommitCostMain {
  private DurableCommitCostMain() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int commits = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int perCommit = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int agents = args.length > 3 ? Integer.parseInt(args[3]) : 256;
    List<Ed25519KeyPair> keys = new ArrayList<>();
    List<GenesisAccount> accounts = new ArrayList<>();
    for (int i = 0; i < agents; i++) {
      byte[] seed = new byte[32];
      seed[0] = (byte) i;
      seed[1] = (byte) (i >>> 8);
      seed[31] = 0x5a;
      Ed25519KeyPair key = Ed25519KeyPair.fromSeed(seed);
      keys.add(key);
      accounts.add(new GenesisAccount(key.publicKey(), Roles.AGENT, 1L << 40));
    }
    accounts.add(new GenesisAccount(LedgerFixture.ADMIN.publicKey(), Roles.ADMIN, 1));
    ExecutionGenesis genesis =
        new ExecutionGenesis(LedgerFixture.CHAIN, LedgerFixture.FEES, accounts);
    long[] nonces = new long[agents];
    List<CommittedInput> stream = new ArrayList<>();
    java.util.Random random = new java.util.Random(1);
    for (int c = 1; c <= commits; c++) {
      List<byte[]> records = new ArrayList<>(perCommit);
      for (int t = 0; t < perCommit; t++) {
        int a = random.nextInt(agents);
        records.add(
            LedgerFixture.run(nonces[a]++)
                .payer(keys.get(a).publicKey())
                .taskId(LedgerFixture.task(random.nextInt(64)))
                .inputTokens(random.nextInt(10_000))
                .sign(keys.get(a)));
      }
      stream.add(LedgerFixture.commit(c, records));
    }
    long txs = (long) commits * perCommit;
    System.out.printf("stream: %d commits x %d txs, %d agents%n", commits, perCommit, agents);
    for (int round = 0; round < 2; round++) { // round 0 warms the JIT
      ExecutionStage memory =
          new ExecutionStage(
              genesis,
              LedgerHarness.COMMITTEE,
              LedgerHarness.VALIDATORS[0],
              new InMemoryQueryStore(),
              new EventLog(),
              new MetricsRegistry(),
              false,
              System::nanoTime);
      long t0 = System.nanoTime();
      for (CommittedInput input : stream) {
        memory.execute(input);
      }
      long memoryNs = System.nanoTime() - t0;
      Path db = dir.resolve("round-" + round);
      MetricsRegistry metrics = new MetricsRegistry();
      long durableNs;
      try (RocksDbStore store = RocksDbStore.open(db)) {
        ExecutionStage durable =
            ExecutionStage.durable(
                genesis,
                store,
                LedgerHarness.COMMITTEE,
                LedgerHarness.VALIDATORS[0],
                new EventLog(),
                metrics,
                false,
                System::nanoTime);
        long t1 = System.nanoTime();
        for (CommittedInput input : stream) {
          durable.execute(input);
        }
        durableNs = System.nanoTime() - t1;
        if (!java.util.Arrays.equals(durable.stateRoot(), memory.stateRoot())) {
          throw new IllegalStateException("durable and in-memory roots differ");
        }
        store.flush();
      }
      long syncNs;
      try (RocksDbStore store = RocksDbStore.open(db)) { // the floor: a one-entry synced write
        dev.agentledger.node.storage.Column<String, String> meta =
            dev.agentledger.node.storage.Column.of(
                dev.agentledger.node.storage.ColumnFamily.META,
                dev.agentledger.node.storage.Serializer.STRING,
                dev.agentledger.node.storage.Serializer.STRING);
        long t2 = System.nanoTime();
        for (int i = 0; i < 50; i++) {
          store.put(
              meta, "probe", Integer.toString(i), dev.agentledger.node.storage.Durability.SYNCED);
        }
        syncNs = (System.nanoTime() - t2) / 50;
      }
      System.out.printf("round %d: one-entry synced write %.2f ms%n", round, syncNs / 1e6);
      double persistSeconds =
          metricValue(metrics.render(), "agentledger_execution_persist_seconds_sum");
      long bytes = size(db);
      System.out.printf(
          "round %d: in-memory %.2f us/tx | durable %.2f us/tx (of which batch write + fsync %.2f us/tx, %.2f ms/commit) | %d bytes/tx on disk after flush%n",
          round,
          memoryNs / 1e3 / txs,
          durableNs / 1e3 / txs,
          persistSeconds * 1e6 / txs,
          persistSeconds * 1e3 / commits,
          bytes / txs);
    }
  }

  private static double metricValue(String text, String name) {
    for (String line : text.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
