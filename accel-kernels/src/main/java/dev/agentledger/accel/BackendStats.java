package dev.agentledger.accel;

import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one backend serving one capability, as the {@link Router} sees them: batches
 * served, items, kernel launches, the upload / kernel / download time the backend reported in its
 * {@link LaunchTiming}s, submissions that failed on it ({@code errors}) and batches that then went
 * to the host instead ({@code fallbacks}). Read when scraped; writers never block.
 */
public final class BackendStats {
  private final LongAdder batches = new LongAdder();
  private final LongAdder items = new LongAdder();
  private final LongAdder launches = new LongAdder();
  private final LongAdder uploadNs = new LongAdder();
  private final LongAdder kernelNs = new LongAdder();
  private final LongAdder downloadNs = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();

  void served(LaunchTiming t) {
    batches.increment();
    items.add(t.items());
    launches.add(t.launches());
    uploadNs.add(t.uploadNs());
    kernelNs.add(t.kernelNs());
    downloadNs.add(t.downloadNs());
  }

  void failed() {
    errors.increment();
  }

  void fellBack() {
    fallbacks.increment();
  }

  public long batches() {
    return batches.sum();
  }

  public long items() {
    return items.sum();
  }

  public long launches() {
    return launches.sum();
  }

  public long uploadNs() {
    return uploadNs.sum();
  }

  public long kernelNs() {
    return kernelNs.sum();
  }

  public long downloadNs() {
    return downloadNs.sum();
  }

  public long errors() {
    return errors.sum();
  }

  public long fallbacks() {
    return fallbacks.sum();
  }
}
