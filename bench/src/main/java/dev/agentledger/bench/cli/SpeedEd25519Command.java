package dev.agentledger.bench.cli;

import dev.agentledger.bench.reference.LibsodiumEd25519;
import dev.agentledger.node.cli.MalformedInputException;
import dev.agentledger.node.runtime.core.JitSettling;
import dev.agentledger.node.worker.JitWarmup;
import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.Ed25519KeyPair;
import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import dev.agentledger.sig.batch.PublicKeyCache;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger speed ed25519}: signing, single verification and batch verification throughput
 * of the project's Ed25519 with BouncyCastle and libsodium (when installed) measured in the same
 * run, for 1 thread and all cores. Inputs: 4096 items, by default each with its own key ({@code
 * --keys} fewer keys, shared round-robin), 300-byte messages (about an AgentRun's signed bytes),
 * all signatures valid. The batch rows cycle through the items, so once warm every key is in the
 * batch verifier's key cache unless {@code --key-cache 0} (or a cache smaller than the keys).
 */
@Command(
    name = "ed25519",
    mixinStandardHelpOptions = true,
    description = {
      "Ed25519 sign / verify / batch-verify throughput of the project and the anchors.",
      "Verifications per second of the project, bouncycastle and libsodium (when installed),",
      "measured in the same run."
    })
final class SpeedEd25519Command implements java.util.concurrent.Callable<Integer> {
  private static final int ITEMS = 4096;
  private static final long SETTLE_ROUND_NS = 1_000_000_000L;

  /** The longest settle phase after the fixed JIT warm-up. */
  private static final long SETTLE_CAP_NS = 60_000_000_000L;

  @Spec CommandSpec spec;

  @Option(
      names = "--json",
      description = "One JSON object per line: name, impl, threads, batch, opsPerSec.")
  boolean json;

  @Option(
      names = "--duration-s",
      paramLabel = "S",
      description = "Measured time per row (default ${DEFAULT-VALUE}).")
  double seconds = 1.0;

  /** The former spelling of {@code --duration-s}, kept working but not listed. */
  @Option(names = "--seconds", paramLabel = "S", hidden = true)
  void legacySeconds(double value) {
    seconds = value;
  }

  @Option(
      names = "--warmup-s",
      paramLabel = "S",
      description = "Warm-up time per row in seconds (default ${DEFAULT-VALUE}).")
  double warmupSeconds = 0.5;

  /** The former spelling of {@code --warmup-s}, kept working but not listed. */
  @Option(names = "--warmup", hidden = true, paramLabel = "S")
  void legacyWarmup(double value) {
    warmupSeconds = value;
  }

  @Option(
      names = "--batches",
      split = ",",
      defaultValue = "64,256,1024,4096",
      description = "Batch sizes (default ${DEFAULT-VALUE}).")
  int[] batches;

  @Option(
      names = "--threads",
      split = ",",
      description = "Thread counts (default 1 and all cores).")
  int[] threads;

  @Option(
      names = "--message-bytes",
      paramLabel = "BYTES",
      defaultValue = "300",
      description = "Message length (default ${DEFAULT-VALUE}).")
  int messageBytes;

  @Option(
      names = "--cpu-time",
      description = {
        "Rate from each thread's CPU time instead of wall time (sum of per-thread ops/CPU-second):",
        "use on a shared, oversubscribed machine; equal to wall time on an idle one."
      })
  boolean cpuTime;

  @Option(
      names = "--repeat",
      defaultValue = "1",
      description = "Measure each row N times, report the best (default ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--jit-warmup-s",
      paramLabel = "S",
      description = {
        "Seconds of mixed work before the first row so that the JIT has compiled the kernels",
        "(the Vector API code is slow until C2 compiles it); then more of it, up to 60 s, until",
        "the JIT is quiet; 0 skips both (default ${DEFAULT-VALUE})."
      })
  double jitWarmupSeconds = 10;

  /** The former spelling of {@code --jit-warmup-s}, kept working but not listed. */
  @Option(names = "--jit-warmup", hidden = true, paramLabel = "S")
  void legacyJitWarmup(double value) {
    jitWarmupSeconds = value;
  }

  @Option(names = "--only", split = ",", description = "Restrict to names: sign, verify, batch.")
  List<String> only;

  @Option(
      names = "--keys",
      paramLabel = "N",
      description = {
        "Distinct signing keys among the " + ITEMS + " items (item i signed by key i mod N;",
        "default " + ITEMS + ": every item its own key)."
      })
  int keyCount = ITEMS;

  @Option(
      names = "--key-cache",
      paramLabel = "ENTRIES",
      description = {
        "Entries of the batch verifier's cache of decompressed public keys (a power of two;",
        "0: off; default: -Dagentledger.ed25519.keyCache, else "
            + PublicKeyCache.DEFAULT_ENTRIES
            + ")."
      })
  Integer keyCacheEntries;

  private byte[][] seeds;
  private byte[][] keys;
  private byte[][] signatures;
  private byte[][] messages;

  @Override
  public Integer call() throws Exception {
    if (seconds <= 0 || warmupSeconds < 0 || messageBytes < 0 || messageBytes > 65536) {
      throw new MalformedInputException(
          "--duration-s must be > 0, --warmup-s >= 0, --message-bytes in [0, 65536]");
    }
    for (int b : batches) {
      if (b < 1 || b > ITEMS) {
        throw new MalformedInputException("--batches values must be in [1, " + ITEMS + "]");
      }
    }
    if (keyCount < 1 || keyCount > ITEMS) {
      throw new MalformedInputException("--keys must be in [1, " + ITEMS + "]");
    }
    if (keyCacheEntries != null
        && keyCacheEntries != 0
        && (keyCacheEntries < 2 || Integer.bitCount(keyCacheEntries) != 1)) {
      throw new MalformedInputException("--key-cache must be 0 or a power of two >= 2");
    }
    int cores = Runtime.getRuntime().availableProcessors();
    int[] threadCounts =
        threads != null ? threads : (cores > 1 ? new int[] {1, cores} : new int[] {1});
    for (int t : threadCounts) {
      if (t < 1 || t > 4096) {
        throw new MalformedInputException("--threads values must be in [1, 4096]");
      }
    }
    prepareInputs();
    Optional<LibsodiumEd25519> sodiumProbe = LibsodiumEd25519.load();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (sodiumProbe.isEmpty()) {
      err.println(
          "speed ed25519: libsodium anchor skipped: " + LibsodiumEd25519.unavailableReason());
    } else {
      sodiumProbe.get().close();
    }
    if (!json) {
      out.printf(
          "Ed25519, %d keys, %d-byte messages, %.1f s per row (+%.1f s warm-up, best of %d), %d cores, %s%n",
          keyCount,
          messageBytes,
          seconds,
          warmupSeconds,
          Math.max(1, repeat),
          cores,
          cpuTime ? "ops per thread-CPU-second" : "ops per wall-clock second");
      out.printf(
          "%-22s %-13s %7s %6s %14s %12s%n",
          "name", "impl", "threads", "batch", "ops/s", "x libsodium");
      out.flush();
    }
    jitWarmup();
    for (int t : threadCounts) {
      double sodiumVerify = Double.NaN;
      List<Row> rows = new ArrayList<>();
      if (selected("sign")) {
        rows.add(row("ed25519-sign", "project", t, 1, this::projectSign));
        rows.add(row("ed25519-sign", "bouncycastle", t, 1, this::bouncyCastleSign));
        if (sodiumProbe.isPresent()) {
          rows.add(row("ed25519-sign", "libsodium", t, 1, this::libsodiumSign));
        }
      }
      if (selected("verify") || selected("batch")) {
        if (sodiumProbe.isPresent()) {
          Row sodium = row("ed25519-verify", "libsodium", t, 1, this::libsodiumVerify);
          sodiumVerify = sodium.opsPerSec;
          rows.add(sodium);
        }
      }
      if (selected("verify")) {
        rows.add(row("ed25519-verify", "project", t, 1, this::projectVerify));
        rows.add(row("ed25519-verify", "bouncycastle", t, 1, this::bouncyCastleVerify));
      }
      if (selected("batch")) {
        for (int b : batches) {
          rows.add(row("ed25519-verify-batch", "project", t, b, thread -> projectBatch(thread, b)));
        }
      }
      for (Row r : rows) {
        print(out, r, sodiumVerify);
      }
    }
    out.flush();
    return 0;
  }

  /**
   * Runs every project kernel for {@code --jit-warmup-s} seconds, then in rounds of one second
   * until {@link JitSettling} says the JIT is quiet (no compilation finished and other threads
   * nearly idle, two rounds in a row), for at most {@link #SETTLE_CAP_NS} more. Under load the
   * kernels' C2 compilations can finish well after a fixed warm-up, inside the first measured row.
   */
  private void jitWarmup() {
    if (jitWarmupSeconds <= 0) {
      return;
    }
    long end = System.nanoTime() + (long) (jitWarmupSeconds * 1e9);
    Work sign = projectSign(0);
    Work verify = projectVerify(0);
    Work small = projectBatch(0, 64);
    Work large = projectBatch(0, 1024);
    while (System.nanoTime() < end) {
      sign.run();
      verify.run();
      small.run();
      large.run();
    }
    JitWarmup.settle(
        () -> {
          sign.run();
          verify.run();
          small.run();
          large.run();
        },
        SETTLE_ROUND_NS,
        SETTLE_CAP_NS);
  }

  private boolean selected(String what) {
    return only == null || only.contains(what);
  }

  private void print(PrintWriter out, Row r, double sodiumVerify) {
    if (json) {
      out.printf(
          Locale.ROOT,
          "{\"name\":\"%s\",\"impl\":\"%s\",\"threads\":%d,\"batch\":%d,\"opsPerSec\":%.1f}%n",
          r.name,
          r.impl,
          r.threads,
          r.batch,
          r.opsPerSec);
    } else {
      String ratio =
          Double.isNaN(sodiumVerify) || r.name.equals("ed25519-sign")
              ? ""
              : String.format(Locale.ROOT, "%.2f", r.opsPerSec / sodiumVerify);
      out.printf(
          Locale.ROOT,
          "%-22s %-13s %7d %6d %14.0f %12s%n",
          r.name,
          r.impl,
          r.threads,
          r.batch,
          r.opsPerSec,
          ratio);
    }
    out.flush();
  }

  private record Row(String name, String impl, int threads, int batch, double opsPerSec) {}

  /** One unit of work on one thread; returns the operations it performed. */
  @FunctionalInterface
  interface Work {
    int run();
  }

  private Row row(String name, String impl, int threadCount, int batch, IntFunction<Work> factory)
      throws InterruptedException {
    Row best = null;
    for (int r = 0; r < Math.max(1, repeat); r++) {
      Row row = measureOnce(name, impl, threadCount, batch, factory);
      if (best == null || row.opsPerSec > best.opsPerSec) {
        best = row;
      }
    }
    return best;
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private Row measureOnce(
      String name, String impl, int threadCount, int batch, IntFunction<Work> factory)
      throws InterruptedException {
    AtomicLong total = new AtomicLong();
    long warmupNs = (long) (warmupSeconds * 1e9);
    long measureNs = (long) (seconds * 1e9);
    CyclicBarrier barrier = new CyclicBarrier(threadCount);
    long[] startEnd = new long[2 * threadCount];
    double[] cpuRates = new double[threadCount];
    AtomicLong failures = new AtomicLong();
    List<Thread> list = new ArrayList<>();
    for (int i = 0; i < threadCount; i++) {
      int index = i;
      list.add(
          Thread.ofPlatform()
              .name("speed-" + i)
              .start(
                  () -> {
                    try {
                      Work w =
                          factory.apply(
                              index); // created on its thread (native scratch is thread-confined)
                      long warmEnd = System.nanoTime() + warmupNs;
                      while (System.nanoTime() < warmEnd) {
                        w.run();
                      }
                      barrier.await();
                      long cpuStart = THREADS.getCurrentThreadCpuTime();
                      long start = System.nanoTime();
                      long end = start + measureNs;
                      long ops = 0;
                      long now;
                      do {
                        ops += w.run();
                        now = System.nanoTime();
                      } while (now < end);
                      long cpuUsed = THREADS.getCurrentThreadCpuTime() - cpuStart;
                      cpuRates[index] = ops * 1e9 / Math.max(1, cpuUsed);
                      startEnd[2 * index] = start;
                      startEnd[2 * index + 1] = now;
                      total.addAndGet(ops);
                    } catch (Exception e) {
                      failures.incrementAndGet();
                      throw new IllegalStateException(e);
                    }
                  }));
    }
    for (Thread thread : list) {
      thread.join();
    }
    if (failures.get() > 0) {
      throw new IllegalStateException("speed run failed for " + name + "/" + impl);
    }
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (int i = 0; i < threadCount; i++) {
      first = Math.min(first, startEnd[2 * i]);
      last = Math.max(last, startEnd[2 * i + 1]);
    }
    if (cpuTime) {
      double sum = 0;
      for (double rate : cpuRates) {
        sum += rate;
      }
      return new Row(name, impl, threadCount, batch, sum);
    }
    return new Row(name, impl, threadCount, batch, total.get() * 1e9 / Math.max(1, last - first));
  }

  private void prepareInputs() {
    SplittableRandom random = new SplittableRandom(25519);
    seeds = new byte[ITEMS][32];
    keys = new byte[ITEMS][];
    signatures = new byte[ITEMS][];
    messages = new byte[ITEMS][messageBytes];
    for (int i = 0; i < ITEMS; i++) {
      random.nextBytes(seeds[i]);
      random.nextBytes(messages[i]);
    }
    for (int i = 0; i < ITEMS; i++) {
      seeds[i] = seeds[i % keyCount];
      keys[i] = i < keyCount ? Ed25519.publicKey(seeds[i]) : keys[i % keyCount];
      signatures[i] = Ed25519.sign(seeds[i], keys[i], messages[i], 0, messageBytes);
    }
  }

  private void checkValid(boolean ok, String impl, int i) {
    if (!ok) {
      throw new IllegalStateException(impl + " rejected benchmark item " + i);
    }
  }

  private Work projectVerify(int thread) {
    int[] next = {thread * 997 % ITEMS};
    return () -> {
      int i = next[0];
      next[0] = (i + 1) % ITEMS;
      checkValid(Ed25519.verify(keys[i], signatures[i], messages[i]), "project", i);
      return 1;
    };
  }

  private Work bouncyCastleVerify(int thread) {
    int[] next = {thread * 997 % ITEMS};
    return () -> {
      int i = next[0];
      next[0] = (i + 1) % ITEMS;
      checkValid(
          org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
              signatures[i], 0, keys[i], 0, messages[i], 0, messages[i].length),
          "bouncycastle",
          i);
      return 1;
    };
  }

  private Work libsodiumVerify(int thread) {
    LibsodiumEd25519 sodium = LibsodiumEd25519.load().orElseThrow();
    int[] next = {thread * 997 % ITEMS};
    return () -> {
      int i = next[0];
      next[0] = (i + 1) % ITEMS;
      checkValid(sodium.verify(keys[i], signatures[i], messages[i]), "libsodium", i);
      return 1;
    };
  }

  private Work projectBatch(int thread, int batchSize) {
    CpuBatchVerifier verifier =
        new CpuBatchVerifier(
            new java.security.SecureRandom(),
            dev.agentledger.sig.curve25519.Fe8.NATIVE,
            keyCacheEntries == null ? PublicKeyCache.configuredEntries() : keyCacheEntries);
    SignatureBatch batch = new SignatureBatch(batchSize);
    boolean[] verdicts = new boolean[batchSize];
    int[] next = {thread * 997 % ITEMS};
    return () -> {
      batch.clear();
      int start = next[0];
      for (int k = 0; k < batchSize; k++) {
        int i = (start + k) % ITEMS;
        batch.add(keys[i], signatures[i], messages[i]);
      }
      next[0] = (start + batchSize) % ITEMS;
      int valid = verifier.verify(batch, verdicts);
      checkValid(valid == batchSize, "project batch", start);
      return batchSize;
    };
  }

  private Work projectSign(int thread) {
    Ed25519KeyPair[] pairs = new Ed25519KeyPair[16];
    for (int k = 0; k < pairs.length; k++) {
      pairs[k] = Ed25519KeyPair.fromSeed(seeds[(thread * 16 + k) % ITEMS]);
    }
    byte[] out = new byte[64];
    int[] next = {0};
    return () -> {
      int i = next[0]++ & 15;
      pairs[i].sign(messages[i], 0, messageBytes, out, 0);
      return 1;
    };
  }

  private Work bouncyCastleSign(int thread) {
    byte[] out = new byte[64];
    int[] next = {0};
    int base = thread * 16;
    return () -> {
      int i = (base + (next[0]++ & 15)) % ITEMS;
      org.bouncycastle.math.ec.rfc8032.Ed25519.sign(
          seeds[i], 0, keys[i], 0, messages[i], 0, messageBytes, out, 0);
      return 1;
    };
  }

  private Work libsodiumSign(int thread) {
    LibsodiumEd25519 sodium = LibsodiumEd25519.load().orElseThrow();
    sodium.prepare(seeds[thread % ITEMS]);
    byte[] out = new byte[64];
    int i = thread % ITEMS;
    return () -> {
      sodium.signPrepared(messages[i], 0, messageBytes, out);
      return 1;
    };
  }
}
