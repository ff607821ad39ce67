package dev.agentledger.hash.merkle;

/** Chooses the {@link LevelHasher} the tree code uses when none is given. */
public final class LevelHashers {
  private LevelHashers() {}

  /** The default engine. */
  public static LevelHasher defaultHasher() {
    return SingleStreamLevelHasher.INSTANCE;
  }
}
