package dev.agentledger.hash.merkle;

import dev.agentledger.hash.Sha256Engines;

/** The {@link LevelHasher}s of the CPU engines, and the default the tree code uses. */
public final class LevelHashers {
  private static final LevelHasher SIMD = new EngineLevelHasher(Sha256Engines.simd());
  private static final LevelHasher ADAPTIVE = new EngineLevelHasher(Sha256Engines.adaptive());

  private LevelHashers() {}

  /** The default: multi-buffer for batches worth a vector, single-stream below. */
  public static LevelHasher defaultHasher() {
    return ADAPTIVE;
  }

  /** The multi-buffer engine for every batch. */
  public static LevelHasher simd() {
    return SIMD;
  }

  /** The JDK intrinsic, one node at a time. */
  public static LevelHasher single() {
    return SingleStreamLevelHasher.INSTANCE;
  }
}
