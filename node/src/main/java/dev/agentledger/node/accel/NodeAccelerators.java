package dev.agentledger.node.accel;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.accel.AccelException;
import dev.agentledger.accel.AutoPolicy;
import dev.agentledger.accel.Backend;
import dev.agentledger.accel.BackendRegistry;
import dev.agentledger.accel.BackendStats;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.Ed25519Batch;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.accel.ProbeResult;
import dev.agentledger.accel.Router;
import dev.agentledger.accel.Workloads;
import dev.agentledger.accel.cuda.CudaBackend;
import dev.agentledger.accel.opencl.OpenClBackend;
import dev.agentledger.hash.accel.RoutedLevelHasher;
import dev.agentledger.hash.accel.SimdHashBackend;
import dev.agentledger.hash.merkle.LevelHasher;
import dev.agentledger.node.config.SigBackend;
import dev.agentledger.node.ingress.CounterModeRandom;
import dev.agentledger.node.metrics.MetricsRegistry;
import dev.agentledger.sig.BatchVerifier;
import dev.agentledger.sig.Ed25519KeyPair;
import dev.agentledger.sig.accel.CpuEd25519Backend;
import dev.agentledger.sig.accel.RoutedBatchVerifier;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The signature backend of one node: a {@link Router} over sig-verify's CPU batch verifier ({@value
 * CpuEd25519Backend#NAME}) and, unless the node verifies on the CPU, one device backend pinned from
 * its calibrated crossover. See the package note for the rules.
 */
public final class NodeAccelerators implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(NodeAccelerators.class.getName());

  private static final Capability ED25519 = Capability.ED25519_VERIFY_BATCH;
  private static final Capability LEVEL = Capability.MERKLE_LEVEL;
  private static final Capability LEAVES = Capability.SHA256_BATCH;

  private final SigBackend requested;
  private final Router router;
  private final Backend device;
  private final String deviceName;
  private final List<String> tried;
  private volatile boolean deviceServing;
  private volatile int crossover;
  private volatile String summary;
  private volatile boolean calibrated;
  private final RoutedLevelHasher hashing;
  private volatile int hashCrossover = -1;
  private final boolean deviceIsCpu;
  private final AutoPolicy policy;
  private final LiveCheck liveCheck;
  private final AtomicLong switches = new AtomicLong();
  private volatile java.util.function.UnaryOperator<BatchVerifier> verifierWrapper = v -> v;
  private volatile Consumer<String> reporter = line -> {};
  private volatile boolean closed;

  private NodeAccelerators(
      SigBackend requested,
      Router router,
      Backend device,
      String deviceName,
      boolean deviceIsCpu,
      AutoPolicy.Settings settings,
      List<String> tried,
      String summary) {
    this.requested = requested;
    this.deviceIsCpu = deviceIsCpu;
    this.policy = device == null ? null : new AutoPolicy(settings);
    this.liveCheck = device != null && requested == SigBackend.AUTO ? new LiveCheck() : null;
    this.router = router;
    this.device = device;
    this.deviceName = deviceName;
    this.tried = tried;
    this.summary = summary;
    this.crossover = -1;
    this.calibrated = device == null;
    this.hashing = new RoutedLevelHasher(router);
    router.table().pin(LEVEL, SimdHashBackend.NAME, 1); // hashing on the CPU until calibrated
    router.table().pin(LEAVES, SimdHashBackend.NAME, 1);
    if (device != null && requested != SigBackend.AUTO) {
      router.table().pin(ED25519, device.name(), 1); // the configured device, until calibrated
      deviceServing = true;
      crossover = 1;
    } else {
      router.table().pin(ED25519, CpuEd25519Backend.NAME, 1);
    }
  }

  /** Every batch on the CPU (no calibration, no device). */
  public static NodeAccelerators cpu() {
    return open(SigBackend.CPU, name -> Optional.empty());
  }

  /**
   * Opens the requested backend (probing only; {@link #calibrate()} measures the crossover). Throws
   * {@link AccelException} with a one-line reason when {@code opencl} or {@code cuda} was requested
   * and is unavailable here.
   */
  public static NodeAccelerators open(SigBackend requested) {
    return open(requested, NodeAccelerators::device);
  }

  /** As {@link #open(SigBackend)}, with the device backends looked up by {@code devices}. */
  public static NodeAccelerators open(SigBackend requested, DeviceLookup devices) {
    return open(requested, devices, AutoPolicy.Settings.defaults());
  }

  /** As {@link #open(SigBackend, DeviceLookup)}, with {@code auto}'s policy settings. */
  static NodeAccelerators open(
      SigBackend requested, DeviceLookup devices, AutoPolicy.Settings settings) {
    if (requested == SigBackend.CPU) {
      return new NodeAccelerators(
          requested,
          hostRouter(),
          null,
          null,
          false,
          null,
          List.of(),
          "cpu (configured): every Ed25519 batch on the CPU");
    }
    List<String> tried = new ArrayList<>();
    List<String> candidates =
        requested == SigBackend.AUTO ? List.of("cuda", "opencl") : List.of(requested.configName());
    for (String name : candidates) {
      Optional<Backend> found = devices.find(name);
      if (found.isEmpty()) {
        tried.add(name + ": not built into this node");
        continue;
      }
      Backend candidate = found.get();
      ProbeResult probe = candidate.probe();
      if (!probe.available() || !candidate.capabilities().contains(ED25519)) {
        tried.add(
            name
                + ": "
                + (probe.available() ? "no Ed25519 kernel" : probe.reason().orElse("unavailable")));
        candidate.close();
        continue;
      }
      Router router = hostRouter();
      router.registry().register(candidate);
      String deviceName = probe.devices().isEmpty() ? name : probe.devices().get(0).name();
      boolean cpuDevice = !probe.devices().isEmpty() && probe.devices().get(0).isCpu();
      String summary =
          requested == SigBackend.AUTO
              ? "cpu for now (auto: calibrating " + name + " [" + deviceName + "] against the CPU)"
              : name
                  + " (configured) ["
                  + deviceName
                  + "]: every Ed25519 batch on "
                  + name
                  + " until the calibration against the CPU sets the crossover";
      return new NodeAccelerators(
          requested, router, candidate, deviceName, cpuDevice, settings, tried, summary);
    }
    if (requested != SigBackend.AUTO) {
      throw new AccelException(
          "sig_backend " + requested.configName() + " is unavailable: " + String.join("; ", tried));
    }
    return new NodeAccelerators(
        requested,
        hostRouter(),
        null,
        null,
        false,
        null,
        tried,
        "cpu (auto chose the CPU: " + String.join("; ", tried) + ")");
  }

  /**
   * A router over the CPU batch verifier and the CPU hashing engine; nothing leaves the host until
   * a pin says so.
   */
  private static Router hostRouter() {
    return new Router(
        new BackendRegistry().register(new CpuEd25519Backend()).register(new SimdHashBackend()),
        Integer.MAX_VALUE);
  }

  /** Hash batch sizes the calibration measures (tree levels in nodes, leaves in messages). */
  private static final int[] HASH_CALIBRATION_SIZES = {1 << 10, 1 << 12, 1 << 14, 1 << 16};

  /** Signature batch sizes the calibration measures. */
  private static final int[] CALIBRATION_SIZES = {16, 64, 256, 1024};

  /** Rounds per size (fewer once the device clearly loses). */
  private static final int CALIBRATION_ROUNDS = 5;

  /**
   * Measures the device against the CPU and routes by the result (idempotent, a no-op without a
   * device); see {@link #measureEd25519()} for how. Until it has run, a configured device serves
   * every batch and {@code auto} keeps them on the CPU. A configured device serves from the
   * crossover, or every batch when it never wins; {@code auto} uses the device from the crossover
   * only, keeps the CPU otherwise, and from then on re-checks the choice on live batches.
   */
  public synchronized void calibrate() {
    if (calibrated) {
      return;
    }
    String hashSummary = calibrateHashing();
    AutoPolicy.Calibration result = measureEd25519();
    calibrated = true;
    apply(result, hashSummary);
  }

  /** Routes by a calibration's result and writes the summary. */
  private void apply(AutoPolicy.Calibration result, String hashSummary) {
    String name = device.name();
    int measured = result.crossover();
    String rates = result.describe();
    if (requested == SigBackend.AUTO) {
      synchronized (policy) {
        policy.adopt(result, System.nanoTime());
      }
      if (measured < 0) {
        router.table().pin(ED25519, CpuEd25519Backend.NAME, 1);
        deviceServing = false;
        crossover = -1;
        List<String> all = new ArrayList<>(tried);
        all.add(
            String.format(
                Locale.ROOT,
                "%s [%s]: not %.1fx cheaper per signature than the CPU at any calibrated size (%s)",
                name,
                deviceName,
                policy.settings().margin(),
                rates));
        summary = "cpu (auto chose the CPU: " + String.join("; ", all) + "); " + hashSummary;
        return;
      }
    }
    int from = measured < 0 ? 1 : measured;
    router.table().pin(ED25519, name, from);
    crossover = from;
    deviceServing = true;
    String how =
        measured < 0
            ? "slower than the CPU at every calibrated size, serving every batch as configured"
            : "faster than the CPU from batch " + measured + " on";
    summary =
        String.format(
            Locale.ROOT,
            "%s (%s%s): Ed25519 batches of %d or more on %s [%s], smaller ones on the CPU; %s"
                + " (calibrated: %s); %s",
            name,
            requested == SigBackend.AUTO ? "auto" : "configured",
            requested == SigBackend.AUTO
                ? ", first available of cuda, opencl, re-checked on live batches"
                : "",
            from,
            name,
            deviceName,
            how,
            rates,
            hashSummary);
  }

  /**
   * The Ed25519 calibration: valid signatures (as the node's traffic is; an all-invalid batch would
   * measure the CPU verifier's bisection instead), the CPU verifier warmed first and the device's
   * program loaded, then {@link #measure} at 1024, 256, 64 and 16 signatures.
   */
  private AutoPolicy.Calibration measureEd25519() {
    Backend host = router.registry().hostFor(ED25519).orElseThrow();
    int largest = CALIBRATION_SIZES[CALIBRATION_SIZES.length - 1];
    Ed25519KeyPair key = Ed25519KeyPair.fromSeed(new byte[32]);
    byte[][] keys = new byte[largest][], signatures = new byte[largest][];
    byte[][] messages = new byte[largest][];
    for (int i = 0; i < largest; i++) {
      messages[i] = new byte[64];
      messages[i][0] = (byte) i;
      messages[i][1] = (byte) (i >>> 8);
      keys[i] = key.publicKey();
      signatures[i] = key.sign(messages[i]);
    }
    Ed25519Batch batch = Ed25519Batch.of(keys, signatures, messages);
    ByteBuffer verdicts = ByteBuffer.allocateDirect(largest);
    batch.count(64);
    long until = System.nanoTime() + 1_500_000_000L;
    for (int i = 0; i < 50 && System.nanoTime() < until; i++) {
      host.ed25519VerifyBatch(batch, verdicts).join();
    }
    batch.count(largest);
    for (int i = 0; i < 3; i++) {
      host.ed25519VerifyBatch(batch, verdicts).join();
    }
    batch.count(CALIBRATION_SIZES[0]);
    boolean deviceFailed = false;
    try {
      device.ed25519VerifyBatch(batch, verdicts).join(); // program load, first launch
    } catch (RuntimeException e) {
      deviceFailed = true; // a failing device never wins
    }
    if (deviceFailed) {
      return AutoPolicy.decide(
          policy.settings(), CALIBRATION_SIZES, empty(CALIBRATION_SIZES), empty(CALIBRATION_SIZES));
    }
    return measure(
        CALIBRATION_SIZES,
        size -> {
          batch.count(size);
          return b -> b.ed25519VerifyBatch(batch, verdicts);
        },
        host);
  }

  /**
   * Interleaved rounds from the largest size down, judged by {@link AutoPolicy#decide}: up to
   * {@value #CALIBRATION_ROUNDS} per size, alternating which side goes first, fewer once every
   * device sample costs more than every host sample; smaller sizes are skipped once the device
   * loses one. The host's cost is this thread's CPU time (host backends run on the caller's
   * thread), the device's its wall time and, for a device that is itself the CPU, at least the
   * process's CPU time meanwhile. A device that fails loses.
   */
  private AutoPolicy.Calibration measure(
      int[] sizes,
      java.util.function.IntFunction<
              java.util.function.Function<
                  Backend, java.util.concurrent.CompletableFuture<LaunchTiming>>>
          runAt,
      Backend host) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean process =
        ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
    double[][] hostCost = empty(sizes), deviceCost = empty(sizes);
    boolean deviceFailed = false;
    for (int i = sizes.length - 1; i >= 0 && !deviceFailed; i--) {
      int size = sizes[i];
      var run = runAt.apply(size);
      double[] h = new double[CALIBRATION_ROUNDS], d = new double[CALIBRATION_ROUNDS];
      int hn = 0, dn = 0;
      for (int round = 0; round < CALIBRATION_ROUNDS && !deviceFailed; round++) {
        for (int side = 0; side < 2; side++) {
          if ((side == 0) == (round % 2 == 0)) {
            long before = threads.getCurrentThreadCpuTime();
            run.apply(host).join();
            h[hn++] = (double) (threads.getCurrentThreadCpuTime() - before) / size;
          } else {
            try {
              long before = process.getProcessCpuTime();
              LaunchTiming t = run.apply(device).join();
              long cost = t.wallNs();
              if (deviceIsCpu) {
                cost = Math.max(cost, process.getProcessCpuTime() - before);
              }
              d[dn++] = (double) cost / size;
            } catch (RuntimeException e) {
              deviceFailed = true;
            }
          }
        }
        if (policy.clearlyLoses(h, hn, d, dn)) {
          break;
        }
      }
      hostCost[i] = Arrays.copyOf(h, hn);
      deviceCost[i] = deviceFailed ? new double[0] : Arrays.copyOf(d, dn);
      if (AutoPolicy.decide(policy.settings(), sizes, hostCost, deviceCost).crossover() != size) {
        break; // the device lost at this size: smaller ones cannot be part of its range
      }
    }
    return AutoPolicy.decide(policy.settings(), sizes, hostCost, deviceCost);
  }

  private static double[][] empty(int[] sizes) {
    double[][] out = new double[sizes.length][];
    Arrays.fill(out, new double[0]);
    return out;
  }

  /**
   * Measures the device against the CPU engine ({@value SimdHashBackend#NAME}) on tree levels and
   * 33-byte leaf messages at 2^10..2^16 items (each side warmed once per size, then {@link
   * #measure}'s interleaved rounds) and pins the device from its crossover, where it has one;
   * otherwise hashing stays on the CPU. Returns one clause for the summary.
   */
  private String calibrateHashing() {
    if (!device.capabilities().contains(LEVEL) || !device.capabilities().contains(LEAVES)) {
      return "hashing on " + SimdHashBackend.NAME + " (" + device.name() + " has no Merkle kernel)";
    }
    Backend host = router.registry().hostFor(LEVEL).orElseThrow();
    int levelFrom = -1;
    String levelCosts = "";
    for (Capability capability : List.of(LEVEL, LEAVES)) {
      AutoPolicy.Calibration result =
          measure(
              HASH_CALIBRATION_SIZES,
              size -> {
                Workloads.Workload work = Workloads.prepare(capability, size, 33);
                for (Backend b : List.of(host, device)) {
                  try {
                    work.run(b).join();
                  } catch (RuntimeException e) {
                    // measure() counts the failure
                  }
                }
                return work::run;
              },
              host);
      int from = result.crossover();
      if (from >= 0) {
        router.table().pin(capability, device.name(), from);
      }
      if (capability == LEVEL) {
        levelFrom = from;
        levelCosts = result.describe();
      }
    }
    hashCrossover = levelFrom;
    return levelFrom < 0
        ? "hashing on "
            + SimdHashBackend.NAME
            + " ("
            + device.name()
            + " not "
            + policy.settings().margin()
            + "x cheaper per tree node at any size: "
            + levelCosts
            + ")"
        : "tree levels of " + levelFrom + " nodes or more hashed on " + device.name();
  }

  /**
   * Runs {@link #calibrate()} on a daemon thread, so that the node serves meanwhile, and hands the
   * resulting {@link #summary()} to {@code report}; a no-op without a device. With {@code auto} the
   * thread then stays for the calibrations that follow a switch back to the CPU (each reported);
   * live switches are reported to {@code report} too.
   */
  public void calibrateInBackground(Consumer<String> report) {
    if (calibrated) {
      return;
    }
    reporter = report;
    Thread t =
        new Thread(
            () -> {
              try {
                calibrate();
                report.accept(summary());
              } catch (RuntimeException e) {
                report.accept("calibration failed, routes unchanged: " + e.getMessage());
                return;
              }
              if (liveCheck != null) {
                recalibrateWhenDue(report);
              }
            },
            "accel-calibrate");
    t.setDaemon(true);
    t.start();
  }

  /** Until closed: waits for the policy's next calibration and runs it. */
  private void recalibrateWhenDue(Consumer<String> report) {
    try {
      while (!closed) {
        synchronized (policy) {
          long wait = policy.recalibrationAtNs() - System.nanoTime();
          if (wait > 0) {
            policy.wait(Math.max(1, Math.min(wait / 1_000_000, 60_000)));
            continue;
          }
        }
        recalibrate(report);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A later calibration for {@code auto}, after a switch back to the CPU or a lost calibration. */
  void recalibrate(Consumer<String> report) {
    synchronized (this) {
      try {
        apply(measureEd25519(), "hashing unchanged");
      } catch (RuntimeException e) {
        synchronized (policy) {
          policy.adopt(new AutoPolicy.Calibration(-1, List.of()), System.nanoTime());
        }
        summary = "cpu (auto: calibration failed: " + e.getMessage() + ")";
      }
    }
    report.accept("sig backend recalibrated: " + summary());
  }

  /**
   * The live check of {@code auto}: the verify stage's costs go to the policy, and a device that
   * proves slower than the CPU on the node's own batches is switched off (logged with the numbers).
   */
  private final class LiveCheck implements RoutedBatchVerifier.Observer {
    @Override
    public boolean sampleOnHost(int items) {
      synchronized (policy) {
        return policy.probeOnHost(items);
      }
    }

    @Override
    public void host(int items, long threadCpuNs) {
      if (!deviceServing) {
        return; // the CPU serves every batch: nothing to compare
      }
      synchronized (policy) {
        policy.hostSample(items, threadCpuNs);
        check();
      }
    }

    @Override
    public void device(int items, long wallNs, long processCpuNs) {
      long cost = deviceIsCpu ? Math.max(wallNs, processCpuNs) : wallNs;
      synchronized (policy) {
        policy.deviceSample(items, cost);
        check();
      }
    }

    private void check() {
      AutoPolicy.Switch off = policy.evaluate(System.nanoTime());
      if (off == null) {
        return;
      }
      router.table().pin(ED25519, CpuEd25519Backend.NAME, 1);
      deviceServing = false;
      crossover = -1;
      switches.incrementAndGet();
      summary = "cpu (auto switched " + device.name() + " off: " + off.describe() + ")";
      String line = "sig backend switched to cpu: " + device.name() + " " + off.describe();
      LOG.log(System.Logger.Level.WARNING, "accel: " + line);
      reporter.accept(line);
      policy.notifyAll();
    }
  }

  /** Looks up a device backend by name ({@code cuda}, {@code opencl}). */
  @FunctionalInterface
  public interface DeviceLookup {
    Optional<Backend> find(String name);
  }

  private static Optional<Backend> device(String name) {
    return switch (name) {
      case "cuda" -> Optional.of(new CudaBackend());
      case "opencl" -> Optional.of(new OpenClBackend());
      default -> Optional.empty();
    };
  }

  /** What was configured. */
  public SigBackend requested() {
    return requested;
  }

  /** The backend serving batches from the crossover on: a device name, or {@code cpu}. */
  public String sigBackend() {
    return deviceServing ? device.name() : "cpu";
  }

  /** The first batch size the device serves; -1 when every batch stays on the CPU. */
  public int crossover() {
    return crossover;
  }

  /**
   * One line for the log: what serves the batches, from which size, and why (provisional until
   * {@link #calibrate()} has run).
   */
  public String summary() {
    return summary;
  }

  public Router router() {
    return router;
  }

  /**
   * The node's hashing backend for batch digests and transaction roots: levels on the CPU engine
   * ({@value SimdHashBackend#NAME}) unless the calibration found the device faster from some size
   * on. Thread-safe.
   */
  public LevelHasher hashing() {
    return hashing;
  }

  /** The backend hashing large tree levels: the device past its crossover, or the CPU engine. */
  public String hashBackend() {
    return hashCrossover >= 0 ? device.name() : SimdHashBackend.NAME;
  }

  /**
   * One verifier per calling thread (each owns its CPU verifier and device buffers). The CPU
   * verifier draws its coefficients from a {@link CounterModeRandom} keyed from the system CSPRNG:
   * a 1 KB draw (64 signatures) costs the JDK's NativePRNG 9-17 µs and 3 KB of garbage, and
   * consensus messages and batch certificates come in batches of a few signatures.
   */
  public Supplier<BatchVerifier> verifiers() {
    Supplier<BatchVerifier> routed =
        () ->
            new RoutedBatchVerifier(
                router, new CpuBatchVerifier(CounterModeRandom.seeded()), liveCheck);
    java.util.function.UnaryOperator<BatchVerifier> wrap = verifierWrapper;
    return () -> wrap.apply(routed.get());
  }

  /**
   * Wraps every verifier {@link #verifiers()} hands out from now on; call before a node is built on
   * these accelerators. The simulator shares one cache of verdicts among its validators this way.
   */
  public NodeAccelerators wrapVerifiers(java.util.function.UnaryOperator<BatchVerifier> wrapper) {
    verifierWrapper = java.util.Objects.requireNonNull(wrapper);
    return this;
  }

  /** How many times {@code auto} switched the device off on live batches. */
  public long autoSwitches() {
    return switches.get();
  }

  /**
   * For the status JSON: the backend serving each workload ({@code sigverify}: Ed25519 batches from
   * the crossover on; {@code batchDigest}: worker batch digests; {@code txRoot}: per-commit
   * transaction roots), what was requested, the crossover and the backends out of rotation.
   */
  public ObjectNode status() {
    ObjectNode json =
        JsonNodeFactory.instance
            .objectNode()
            .put("sigverify", sigBackend())
            .put("batchDigest", hashBackend())
            .put("txRoot", hashBackend())
            .put("hashCrossover", hashCrossover)
            .put("requested", requested.configName())
            .put("crossover", crossover)
            .put("calibrated", calibrated)
            .put("autoSwitches", switches.get());
    router.outOfRotation().forEach(json.putArray("outOfRotation")::add);
    return json;
  }

  /** The router's per-backend counters as {@code agentledger_accel_*} families. */
  public void registerMetrics(MetricsRegistry metrics) {
    for (Capability capability : List.of(ED25519, LEVEL, LEAVES)) {
      List<String> names = new ArrayList<>();
      names.add(capability == ED25519 ? CpuEd25519Backend.NAME : SimdHashBackend.NAME);
      if (device != null) {
        names.add(device.name());
      }
      for (String name : names) {
        registerMetrics(metrics, capability, name);
      }
    }
  }

  private void registerMetrics(MetricsRegistry metrics, Capability capability, String name) {
    String kernel = capability.shortName();
    BackendStats s = router.stats(capability, name);
    String[] labels = {"backend", name, "kernel", kernel};
    metrics.counter(
        "agentledger_accel_batches_total", "Batches served, by backend.", s::batches, labels);
    metrics.counter(
        "agentledger_accel_launches_total", "Kernel launches, by backend.", s::launches, labels);
    metrics.counter(
        "agentledger_accel_items_total",
        "Items (signatures, tree nodes or messages) served, by backend.",
        s::items,
        labels);
    metrics.secondsCounter(
        "agentledger_accel_upload_seconds_total",
        "Host-to-device copy time, by backend.",
        s::uploadNs,
        labels);
    metrics.secondsCounter(
        "agentledger_accel_kernel_seconds_total",
        "Kernel (or host compute) time, by backend.",
        s::kernelNs,
        labels);
    metrics.secondsCounter(
        "agentledger_accel_download_seconds_total",
        "Device-to-host copy time, by backend.",
        s::downloadNs,
        labels);
    metrics.counter(
        "agentledger_accel_errors_total",
        "Submissions that failed on the backend (kernel or driver error).",
        s::errors,
        labels);
    metrics.counter(
        "agentledger_accel_fallbacks_total",
        "Batches that failed on the backend and were served on the CPU instead.",
        s::fallbacks,
        labels);
    metrics.gauge(
        "agentledger_accel_in_rotation",
        "1 while the backend may be chosen, 0 once repeated failures took it out.",
        () -> router.outOfRotation().contains(name) ? 0 : 1,
        labels);
  }

  @Override
  public void close() {
    closed = true;
    if (policy != null) {
      synchronized (policy) {
        policy.notifyAll();
      }
    }
    router.registry().close();
  }
}
