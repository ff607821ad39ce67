package dev.agentledger.hash.merkle;

import dev.agentledger.hash.Sha256Engine;

/**
 * {@link LevelHasher} over a {@link Sha256Engine}: the CPU engines (single-stream, SIMD, adaptive).
 */
public final class EngineLevelHasher implements LevelHasher {
  private final Sha256Engine engine;

  public EngineLevelHasher(Sha256Engine engine) {
    this.engine = engine;
  }

  @Override
  public void hashPairs(
      byte[] children, int childOffset, int pairCount, byte[] parents, int parentOffset) {
    engine.hashNodes(children, childOffset, pairCount, parents, parentOffset);
  }

  @Override
  public void hashLeaves32(byte[] data, int dataOffset, int count, byte[] out, int outOffset) {
    engine.hashLeaves32(data, dataOffset, count, out, outOffset);
  }

  @Override
  public String name() {
    return engine.name();
  }
}
