package dev.agentledger.accel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Pure decision of automatic backend choice between the host and one device for a capability: from
 * repeated cost samples (nanoseconds per item, as the caller measured them), whether and from which
 * batch size the device serves, and later, from live samples of both, whether it keeps serving. No
 * clocks, no threads: every time is passed in.
 *
 * <p><b>Calibration</b> ({@link #decide}): the device wins at a batch size only when its median
 * cost is at least {@link Settings#margin} times lower than the host's <em>and</em> its upper
 * quartile lies below the host's lower quartile (the two sample sets do not overlap in their middle
 * halves), with at least {@link Settings#minCalibrationSamples} samples each. One slow host sample
 * (a preemption) or one fast device sample cannot make the device win. The crossover is the
 * smallest calibrated size from which the device wins at every larger size; -1 when it does not win
 * at the largest.
 *
 * <p><b>Live re-check</b> (hysteresis): while the device serves, every {@link
 * Settings#probeEvery}-th batch it would serve is served on the host instead ({@link
 * #probeOnHost}), so that both costs are sampled on the batches the node actually sees (from the
 * crossover on). At most once per {@link Settings#recheckNs}, {@link #evaluate} compares the
 * medians of the last {@link Settings#window} samples of each; a device whose median cost exceeds
 * {@link Settings#leaveRatio} times the host's on {@link Settings#confirmations} checks in a row is
 * switched off, and a check where it is not resets the count. Going back to the device needs a new
 * calibration that it wins by the full margin; that calibration is due {@link Settings#retryNs}
 * after the switch, the wait doubling with each switch up to {@link Settings#maxRetryNs}, and
 * {@link Settings#maxRetryNs} after a calibration the device lost. Not thread-safe: the caller
 * synchronises.
 */
public final class AutoPolicy {

  /**
   * @param margin how many times cheaper per item the device must measure to be chosen (&gt; 1)
   * @param leaveRatio live device/host median cost ratio above which a check counts against the
   *     device
   * @param minCalibrationSamples samples per side and size below which the device never wins
   * @param window live samples kept per side
   * @param minLiveSamples live samples per side before a check counts
   * @param confirmations failed checks in a row that switch the device off
   * @param recheckNs least time between two live checks
   * @param probeEvery one in this many device-bound batches is served on the host as a sample
   * @param retryNs time from the first switch-off to the next calibration
   * @param maxRetryNs the longest wait after a switch-off (the wait doubles with each), and the
   *     wait after a calibration the device lost
   */
  public record Settings(
      double margin,
      double leaveRatio,
      int minCalibrationSamples,
      int window,
      int minLiveSamples,
      int confirmations,
      long recheckNs,
      int probeEvery,
      long retryNs,
      long maxRetryNs) {
    public Settings {
      if (!(margin > 1) || !(leaveRatio > 0)) {
        throw new IllegalArgumentException("margin must exceed 1 and leaveRatio 0");
      }
      if (minCalibrationSamples < 1 || minLiveSamples < 1 || window < minLiveSamples) {
        throw new IllegalArgumentException("sample counts must be positive, window >= minimum");
      }
      if (confirmations < 1 || probeEvery < 2 || recheckNs < 0 || retryNs < 0) {
        throw new IllegalArgumentException("confirmations >= 1, probeEvery >= 2, times >= 0");
      }
    }

    /**
     * 1.5x margin, 3 calibration samples, a window of 32 live samples (8 before a check counts), 2
     * confirmations 5 s apart, one batch in 16 sampled on the host, a calibration 1 min after a
     * switch-off (doubling with each, up to 30 min) and 30 min after a calibration the device lost.
     */
    public static Settings defaults() {
      return new Settings(
          1.5, 1.0, 3, 32, 8, 2, 5_000_000_000L, 16, 60_000_000_000L, 1_800_000_000_000L);
    }
  }

  /** One calibrated size: the median costs per item of each side and whether the device won. */
  public record SizeVerdict(int size, double hostNsPerItem, double deviceNsPerItem, boolean wins) {}

  /**
   * The calibration's outcome: the crossover (-1: the host serves every batch) and each measured
   * size, largest first.
   */
  public record Calibration(int crossover, List<SizeVerdict> sizes) {
    public Calibration {
      sizes = List.copyOf(sizes);
    }

    /**
     * "1024: host 15,000 ns/item, device 300,000 ns/item (device 20.0x dearer)" per size, for the
     * log.
     */
    public String describe() {
      List<String> out = new ArrayList<>();
      for (SizeVerdict v : sizes) {
        double host = v.hostNsPerItem(), device = v.deviceNsPerItem();
        String ratio =
            !(host > 0 && device > 0)
                ? "device not measured"
                : device <= host
                    ? String.format(Locale.ROOT, "device %.1fx cheaper", host / device)
                    : String.format(Locale.ROOT, "device %.1fx dearer", device / host);
        out.add(
            String.format(
                Locale.ROOT,
                "%d: host %,.0f ns/item, device %,.0f ns/item (%s%s)",
                v.size(),
                host,
                device,
                ratio,
                v.wins() ? ", device wins" : ""));
      }
      return String.join("; ", out);
    }
  }

  /** A live switch-off, with the numbers that caused it. */
  public record Switch(
      double deviceNsPerItem,
      double hostNsPerItem,
      int deviceSamples,
      int hostSamples,
      long retryNs) {
    public String describe() {
      return String.format(
          Locale.ROOT,
          "device median %,.0f ns/item over %d batches vs host %,.0f ns/item over %d batches"
              + " (%.2fx the host's cost); next calibration in %d s",
          deviceNsPerItem,
          deviceSamples,
          hostNsPerItem,
          hostSamples,
          hostNsPerItem > 0 ? deviceNsPerItem / hostNsPerItem : 0,
          retryNs / 1_000_000_000L);
    }
  }

  private final Settings settings;
  private final double[] hostWindow;
  private final double[] deviceWindow;
  private final double[] scratch;
  private int hostCount;
  private int hostNext;
  private int deviceCount;
  private int deviceNext;
  private int crossover = -1;
  private long probeCounter;
  private int strikes;
  private long nextCheckNs;
  private long retryNs;
  private long retryAtNs = Long.MAX_VALUE;

  public AutoPolicy(Settings settings) {
    this.settings = settings;
    this.hostWindow = new double[settings.window()];
    this.deviceWindow = new double[settings.window()];
    this.scratch = new double[settings.window()];
    this.retryNs = settings.retryNs();
  }

  public Settings settings() {
    return settings;
  }

  /**
   * The calibration decision. {@code hostNsPerItem[i]} and {@code deviceNsPerItem[i]} are the
   * samples at {@code sizes[i]} (sizes ascending; a size may have no samples, which the device
   * loses).
   */
  public static Calibration decide(
      Settings settings, int[] sizes, double[][] hostNsPerItem, double[][] deviceNsPerItem) {
    if (sizes.length != hostNsPerItem.length || sizes.length != deviceNsPerItem.length) {
      throw new IllegalArgumentException("one sample array per size");
    }
    List<SizeVerdict> verdicts = new ArrayList<>();
    int crossover = -1;
    boolean winning = true;
    for (int i = sizes.length - 1; i >= 0; i--) {
      double[] h = hostNsPerItem[i], d = deviceNsPerItem[i];
      if (h.length == 0 && d.length == 0) {
        continue;
      }
      boolean enough =
          h.length >= settings.minCalibrationSamples()
              && d.length >= settings.minCalibrationSamples();
      double hostMedian = quantile(h, h.length, 0.5), deviceMedian = quantile(d, d.length, 0.5);
      boolean wins =
          enough
              && deviceMedian * settings.margin() <= hostMedian
              && quantile(d, d.length, 0.75) < quantile(h, h.length, 0.25);
      verdicts.add(new SizeVerdict(sizes[i], hostMedian, deviceMedian, wins));
      winning &= wins;
      if (winning) {
        crossover = sizes[i];
      }
    }
    return new Calibration(crossover, verdicts);
  }

  /**
   * True when, with at least {@code minCalibrationSamples} samples each, the device's cheapest
   * sample costs more than the host's dearest: a calibration may stop measuring that size.
   */
  public boolean clearlyLoses(double[] host, int hostN, double[] device, int deviceN) {
    int min = settings.minCalibrationSamples();
    if (hostN < min || deviceN < min) {
      return false;
    }
    double cheapestDevice = Double.MAX_VALUE, dearestHost = 0;
    for (int i = 0; i < deviceN; i++) {
      cheapestDevice = Math.min(cheapestDevice, device[i]);
    }
    for (int i = 0; i < hostN; i++) {
      dearestHost = Math.max(dearestHost, host[i]);
    }
    return cheapestDevice > dearestHost;
  }

  /**
   * Takes a calibration's outcome at {@code nowNs}: the device serves from its crossover, with
   * empty live windows, or (crossover -1) the host serves everything and the next calibration is
   * due after {@link Settings#maxRetryNs} (a calibration costs CPU time: a device that lost one is
   * not measured again soon).
   */
  public void adopt(Calibration calibration, long nowNs) {
    crossover = calibration.crossover();
    hostCount = hostNext = deviceCount = deviceNext = 0;
    strikes = 0;
    nextCheckNs = nowNs + settings.recheckNs();
    retryAtNs = crossover < 0 ? nowNs + settings.maxRetryNs() : Long.MAX_VALUE;
  }

  /** Whether the device serves (from {@link #crossover()} on). */
  public boolean onDevice() {
    return crossover >= 0;
  }

  /** The first batch size the device serves; -1 while the host serves every batch. */
  public int crossover() {
    return crossover;
  }

  /**
   * For a batch of {@code items} that the device would serve: true for one in {@link
   * Settings#probeEvery} of them, which the caller serves on the host as a live sample.
   */
  public boolean probeOnHost(int items) {
    return crossover >= 0 && items >= crossover && ++probeCounter % settings.probeEvery() == 0;
  }

  /** A batch of {@code items} served on the host at {@code costNs} (counted from the crossover). */
  public void hostSample(int items, long costNs) {
    if (crossover >= 0 && items >= crossover && items > 0) {
      hostWindow[hostNext] = (double) costNs / items;
      hostNext = (hostNext + 1) % hostWindow.length;
      hostCount = Math.min(hostCount + 1, hostWindow.length);
    }
  }

  /** A batch of {@code items} served on the device at {@code costNs}. */
  public void deviceSample(int items, long costNs) {
    if (crossover >= 0 && items >= crossover && items > 0) {
      deviceWindow[deviceNext] = (double) costNs / items;
      deviceNext = (deviceNext + 1) % deviceWindow.length;
      deviceCount = Math.min(deviceCount + 1, deviceWindow.length);
    }
  }

  /**
   * The live check, at most once per {@link Settings#recheckNs}: returns the switch-off (after
   * which the host serves every batch) or null.
   */
  public Switch evaluate(long nowNs) {
    if (crossover < 0 || nowNs - nextCheckNs < 0) {
      return null;
    }
    if (hostCount < settings.minLiveSamples() || deviceCount < settings.minLiveSamples()) {
      return null;
    }
    nextCheckNs = nowNs + settings.recheckNs();
    double device = median(deviceWindow, deviceCount), host = median(hostWindow, hostCount);
    if (device <= settings.leaveRatio() * host) {
      strikes = 0;
      return null;
    }
    if (++strikes < settings.confirmations()) {
      return null;
    }
    Switch off = new Switch(device, host, deviceCount, hostCount, retryNs);
    crossover = -1;
    strikes = 0;
    retryAtNs = nowNs + retryNs;
    retryNs = Math.min(retryNs * 2, settings.maxRetryNs());
    return off;
  }

  /** Whether the host serves every batch and a new calibration is due at {@code nowNs}. */
  public boolean recalibrationDue(long nowNs) {
    return crossover < 0 && retryAtNs != Long.MAX_VALUE && nowNs - retryAtNs >= 0;
  }

  /** When the next calibration is due (Long.MAX_VALUE: none, the device serves). */
  public long recalibrationAtNs() {
    return crossover < 0 ? retryAtNs : Long.MAX_VALUE;
  }

  private double median(double[] window, int count) {
    System.arraycopy(window, 0, scratch, 0, count);
    Arrays.sort(scratch, 0, count);
    return count % 2 == 1 ? scratch[count / 2] : (scratch[count / 2 - 1] + scratch[count / 2]) / 2;
  }

  /** The {@code q} quantile of the first {@code n} values (nearest rank); NaN when empty. */
  static double quantile(double[] values, int n, double q) {
    if (n == 0) {
      return Double.NaN;
    }
    double[] sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * n) - 1;
    return sorted[Math.max(0, Math.min(n - 1, rank))];
  }
}
