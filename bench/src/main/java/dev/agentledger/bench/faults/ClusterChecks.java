package dev.agentledger.bench.faults;

import dev.agentledger.bench.demo.HttpProofClient;
import dev.agentledger.bench.demo.ProofClient;
import dev.agentledger.bench.loadgen.LoadGenerator;
import dev.agentledger.bench.loadgen.PresignedPool;
import dev.agentledger.bench.loadgen.RunRecorder;
import dev.agentledger.bench.loadgen.cluster.ClusterTarget;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The checks of a load run against a {@link LocalCluster} that the fault suite and the soak share:
 * accepted runs the commit feed did not report, asked for once more through the query API, and a
 * random sample of committed runs proved and verified offline.
 */
public final class ClusterChecks {
  /** Lost runs listed one per line (transaction id, agent, nonce), to trace them in the logs. */
  static final int LOST_LISTED = 50;

  private ClusterChecks() {}

  /**
   * Accepted runs the feed never reported committed, asked for through the query API: a run counts
   * as committed when any running validator answers {@code GET /v1/transactions/{id}} with 200;
   * those found are added to {@code found}. Those not found are asked for again every {@link
   * #RECHECK_EVERY}, for up to {@code patience}: a run that a restarted validator accepted before
   * its crash is offered again from its ingress log and commits once that validator has caught up,
   * which may be after the load's drain. Such runs are counted committed, and said to be late; only
   * those still missing after {@code patience} are lost. Each of them is described by {@code
   * target} when not null (the validator it was sent to is asked where it holds it and its agent's
   * neighbouring nonces, {@code TX_WHERE}, {@link ClusterTarget#describeLost(PresignedPool,
   * RunRecorder, List)}, which tells a run held behind a nonce gap or ordered and not yet executed
   * from one dropped), else listed (transaction id, agent, nonce). Runs accepted and refused
   * afterwards are checked first ({@link #refusedAfterAcceptance}).
   *
   * @return the accepted runs still not committed
   */
  public static long recheckLost(
      LocalCluster cluster,
      LoadGenerator.RunResult run,
      PresignedPool pool,
      List<Long> found,
      PrintWriter log,
      Duration patience,
      ClusterTarget target) {
    refusedAfterAcceptance(cluster, run, pool, found, log, target);
    List<Long> lost = run.recorder().lostSequences();
    if (lost.isEmpty()) {
      return 0;
    }
    say(log, "%d accepted runs not seen committed on the feed: asking the query API", lost.size());
    AgentRunFlyweight flyweight = new AgentRunFlyweight();
    HexFormat hex = HexFormat.of();
    List<Long> missing = missing(cluster, pool, lost, found, flyweight, hex);
    say(
        log,
        "%d of them committed after all, %d %s",
        lost.size() - missing.size(),
        missing.size(),
        patience.isPositive() && !missing.isEmpty() ? "not yet" : "lost");
    long deadline = System.nanoTime() + patience.toNanos();
    int before = missing.size();
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(RECHECK_EVERY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      missing = missing(cluster, pool, missing, found, flyweight, hex);
    }
    if (before > 0 && patience.isPositive()) {
      say(
          log,
          "asked again for up to %d s: %d of the %d committed late, %d lost",
          patience.toSeconds(),
          before - missing.size(),
          before,
          missing.size());
    }
    if (target != null && !missing.isEmpty()) {
      List<Long> listed = missing.subList(0, Math.min(LOST_LISTED, missing.size()));
      for (String line : target.describeLost(pool, run.recorder(), listed)) {
        say(log, "%s", line);
      }
      return missing.size();
    }
    for (int k = 0; k < missing.size() && k < LOST_LISTED; k++) {
      long sequence = missing.get(k);
      flyweight.wrap(pool.buffer(), pool.offsetOf(sequence));
      byte[] agent = new byte[32];
      flyweight.getAgent(agent, 0);
      say(
          log,
          "lost: run %d, tx %s, agent %s, nonce %d",
          sequence,
          hex.formatHex(flyweight.transactionId()),
          hex.formatHex(agent, 0, 8),
          flyweight.nonce());
    }
    return missing.size();
  }

  /**
   * Runs the target accepted and later refused ({@link
   * RunRecorder#refusedAfterAcceptanceSequences}: a validator that answered a held run expired),
   * asked for through the query API: those committed all the same are added to {@code found} (the
   * refusal was wrong, and said so), the others are said with their reasons and described by {@code
   * target} when not null. They are refusals the client was told of, not lost runs.
   */
  static void refusedAfterAcceptance(
      LocalCluster cluster,
      LoadGenerator.RunResult run,
      PresignedPool pool,
      List<Long> found,
      PrintWriter log,
      ClusterTarget target) {
    List<Long> refused = run.recorder().refusedAfterAcceptanceSequences();
    if (refused.isEmpty()) {
      return;
    }
    say(
        log,
        "%d accepted runs were refused afterwards %s: asking the query API",
        refused.size(),
        run.recorder().refusedAfterAcceptanceByReason());
    List<Long> missing =
        missing(cluster, pool, refused, found, new AgentRunFlyweight(), HexFormat.of());
    say(
        log,
        "%d of them committed all the same (a wrong refusal), %d not committed (refused)",
        refused.size() - missing.size(),
        missing.size());
    if (target != null && !missing.isEmpty()) {
      for (String line :
          target.describeLost(
              pool, run.recorder(), missing.subList(0, Math.min(REFUSED_LISTED, missing.size())))) {
        say(log, "refused after acceptance, %s", line.substring("lost: ".length()));
      }
    }
  }

  /** Runs refused after their acceptance described one per line, at most. */
  static final int REFUSED_LISTED = 5;

  /** How often {@link #recheckLost} asks again for runs not found. */
  static final Duration RECHECK_EVERY = Duration.ofSeconds(2);

  /** The runs of {@code sequences} no running validator reports committed; the others to found. */
  private static List<Long> missing(
      LocalCluster cluster,
      PresignedPool pool,
      List<Long> sequences,
      List<Long> found,
      AgentRunFlyweight flyweight,
      HexFormat hex) {
    List<Long> missing = new ArrayList<>();
    for (long sequence : sequences) {
      flyweight.wrap(pool.buffer(), pool.offsetOf(sequence));
      String path = "/v1/transactions/" + hex.formatHex(flyweight.transactionId());
      boolean committed = false;
      for (int i = 0; i < cluster.size() && !committed; i++) {
        committed = cluster.alive(i) && cluster.get(i, path) != null;
      }
      if (committed) {
        found.add(sequence);
      } else {
        missing.add(sequence);
      }
    }
    return missing;
  }

  /**
   * Fetches and verifies proofs of a random sample of at most {@code proofs} committed runs from
   * the validators that run now.
   *
   * @return {fetched, verified}
   */
  public static int[] proofs(
      LocalCluster cluster,
      List<Long> committed,
      PresignedPool pool,
      int proofs,
      SplittableRandom random,
      PrintWriter log)
      throws Exception {
    int sample = Math.min(proofs, committed.size());
    int fetched = 0;
    int verified = 0;
    if (sample == 0) {
      return new int[] {0, 0};
    }
    List<InetSocketAddress> live = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      if (cluster.alive(i)) {
        live.add(cluster.cluster().queries().get(i));
      }
    }
    try (ProofClient client =
        new HttpProofClient(
            live, cluster.cluster().genesis(), Duration.ofSeconds(15), random.nextLong())) {
      AgentRunFlyweight flyweight = new AgentRunFlyweight();
      byte[] record = new byte[AgentRunDescriptor.ENCODED_LENGTH];
      for (int k = 0; k < sample; k++) {
        long sequence = committed.get(random.nextInt(committed.size()));
        int offset = pool.offsetOf(sequence);
        flyweight.wrap(pool.buffer(), offset);
        pool.buffer().getBytes(offset, record);
        ProofClient.Check check = client.fetchAndVerify(flyweight.transactionId(), record);
        fetched += check.fetched() ? 1 : 0;
        verified += check.verified() ? 1 : 0;
        if (check.fetched() && !check.verified()) {
          say(log, "proof not verified: %s", check.detail());
        }
      }
    }
    return new int[] {fetched, verified};
  }

  private static void say(PrintWriter log, String format, Object... args) {
    log.printf(Locale.ROOT, format + "%n", args);
    log.flush();
  }
}
