package dev.agentledger.node.execution;

import dev.agentledger.hash.Sha256;
import dev.agentledger.node.commitlog.CommitLog;
import dev.agentledger.node.commitlog.CommitLogFlyweight;
import dev.agentledger.node.events.EventLog;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.ExecutionGenesis;
import dev.agentledger.node.execution.core.GenesisAccount;
import dev.agentledger.node.execution.core.Roles;
import dev.agentledger.node.feed.CommitFeed;
import dev.agentledger.node.metrics.MetricsRegistry;
import dev.agentledger.node.net.Wire;
import dev.agentledger.node.storage.Durability;
import dev.agentledger.node.storage.rocksdb.RocksDbStore;
import dev.agentledger.node.tx.TransactionSlot;
import dev.agentledger.node.worker.core.Worker;
import dev.agentledger.sig.Ed25519KeyPair;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Random;

/**
 * Measures the execution thread's path in a validator, per transaction: each commit read back from
 * the commit log and its batches in RocksDB, executed by the durable stage (one synced batch per
 * commit) and published to a commit feed, as {@code ExecutionService} does. Prints the thread's CPU
 * and heap bytes per transaction over the commits after a warm-up. With {@code -Dreader=static} the
 * commits are read through {@link ExecutionService#readCommit} (also present in builds before
 * {@link CommitReader}, so the same class measures an older build's path on its class path); by
 * default through one reused {@link CommitReader}. A measurement, not a test: run it by hand.
 *
 * <pre>
 *   java -cp ... dev.agentledger.node.execution.NodeExecutionPathMain DIR [commits] [txsPerCommit] [agents]
 * </pre>
 */
public final class NodeExecutionPathMain {
  private NodeExecutionPathMain() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int commits = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int perCommit = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int agents = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
    int batchSize = 50;
    boolean viaStatic = "static".equals(System.getProperty("reader"));
    Ed25519KeyPair[] keys = new Ed25519KeyPair[agents];
    java.util.List<GenesisAccount> accounts = new java.util.ArrayList<>();
    for (int i = 0; i < agents; i++) {
      byte[] seed = new byte[32];
      seed[0] = (byte) i;
      seed[1] = (byte) (i >>> 8);
      seed[31] = 0x5b;
      keys[i] = Ed25519KeyPair.fromSeed(seed);
      accounts.add(new GenesisAccount(keys[i].publicKey(), Roles.AGENT, 1L << 40));
    }
    accounts.add(new GenesisAccount(LedgerFixture.ADMIN.publicKey(), Roles.ADMIN, 1));
    ExecutionGenesis genesis =
        new ExecutionGenesis(LedgerFixture.CHAIN, LedgerFixture.FEES, accounts);
    long[] nonces = new long[agents];
    Random random = new Random(1);
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().threadId();
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      for (int c = 0; c < commits; c++) { // consensus's side: batches, then the log entry
        int batches = perCommit / batchSize;
        CommitLogFlyweight entry = new CommitLogFlyweight().create(batches, 0);
        byte[] anchor = new byte[32];
        random.nextBytes(anchor);
        entry.anchor(anchor).anchorRound(c + 1);
        for (int b = 0; b < batches; b++) {
          ByteBuffer body =
              ByteBuffer.allocate(Wire.BATCH_RECORDS + batchSize * Wire.RECORD)
                  .order(ByteOrder.LITTLE_ENDIAN);
          body.putInt(Wire.BATCH_COUNT, batchSize);
          for (int t = 0; t < batchSize; t++) {
            int a = random.nextInt(agents);
            byte[] record =
                LedgerFixture.run(nonces[a]++)
                    .taskId(LedgerFixture.task(random.nextInt(64)))
                    .model(LedgerFixture.model(random.nextInt(8)))
                    .inputTokens(random.nextInt(10_000))
                    .unsigned(keys[a].publicKey());
            body.put(Wire.BATCH_RECORDS + t * Wire.RECORD, TransactionSlot.pad(record));
          }
          byte[] digest = Sha256.digest(body.array());
          entry.batchDigest(b, digest);
          store.put(Worker.BATCHES, digest, body.array(), Durability.BUFFERED);
        }
        store.put(
            CommitLog.COLUMN,
            (long) c,
            entry.seal(new byte[32], new Sha256()).clone(),
            Durability.BUFFERED);
      }
      ExecutionStage stage =
          ExecutionStage.durable(
              genesis,
              store,
              LedgerHarness.COMMITTEE,
              LedgerHarness.VALIDATORS[0],
              new EventLog(),
              new MetricsRegistry(),
              false,
              System::nanoTime);
      CommitFeed feed = new CommitFeed(stage.queryStore(), CommitFeed.Config.defaults());
      stage.publishTo(feed);
      CommitReader reader = viaStatic ? null : new CommitReader(store);
      int warm = commits / 3;
      long cpu0 = 0;
      long bytes0 = 0;
      for (int c = 1; c <= commits; c++) {
        if (c == warm + 1) {
          cpu0 = threads.getCurrentThreadCpuTime();
          bytes0 = threads.getThreadAllocatedBytes(thread);
        }
        CommittedInput input = viaStatic ? ExecutionService.readCommit(store, c) : reader.read(c);
        stage.execute(input);
      }
      long txs = (long) (commits - warm) * perCommit;
      System.out.printf(
          "reader=%s commits=%d txs/commit=%d agents=%d: %.2f us CPU/tx, %.1f B/tx (execution"
              + " thread, %d commits after %d warm-up)%n",
          viaStatic ? "static" : "CommitReader",
          commits,
          perCommit,
          agents,
          (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / txs,
          (threads.getThreadAllocatedBytes(thread) - bytes0) / (double) txs,
          commits - warm,
          warm);
    }
  }
}
