package dev.agentledger.bench.loadgen;

import java.util.Arrays;

/**
 * What the generated agent runs look like: how many agents (chosen with Zipf skew, so a few are
 * very busy), Zipf-skewed token counts, the mix of outcomes, and the fractions of deliberately bad
 * records that must be rejected (bad signatures, invalid fields).
 *
 * @param agents number of distinct agent keys
 * @param agentSkew Zipf exponent of agent activity
 * @param models number of distinct model hashes (Zipf 1.0 over them)
 * @param maxInputTokens largest input token count; counts are {@code 64 * zipf rank}
 * @param maxOutputTokens largest output token count
 * @param tokenSkew Zipf exponent of token counts
 * @param outcomeWeights relative weights of SUCCESS, FAILURE, PARTIAL, CANCELLED
 * @param badSignatureFraction fraction of records whose signature is corrupted
 * @param invalidFieldFraction fraction of records that fail field validation (ended before started)
 * @param chainId network id written into every record
 * @param seed seed of everything random in the pool
 */
public record RunContents(
    int agents,
    double agentSkew,
    int models,
    long maxInputTokens,
    long maxOutputTokens,
    double tokenSkew,
    double[] outcomeWeights,
    double badSignatureFraction,
    double invalidFieldFraction,
    int chainId,
    long seed) {
  /** Bytes of the token granularity: counts are multiples of it. */
  public static final int TOKEN_GRANULE = 64;

  public RunContents {
    if (agents < 1 || models < 1) {
      throw new IllegalArgumentException("agents and models must be at least 1");
    }
    if (maxInputTokens < TOKEN_GRANULE || maxOutputTokens < TOKEN_GRANULE) {
      throw new IllegalArgumentException("token maxima must be at least " + TOKEN_GRANULE);
    }
    if (outcomeWeights.length != 4
        || Arrays.stream(outcomeWeights).anyMatch(w -> w < 0)
        || Arrays.stream(outcomeWeights).sum() <= 0) {
      throw new IllegalArgumentException(
          "outcome weights: four non-negative numbers, not all zero");
    }
    if (badSignatureFraction < 0
        || invalidFieldFraction < 0
        || badSignatureFraction + invalidFieldFraction > 1) {
      throw new IllegalArgumentException("bad fractions must be in [0, 1] and sum to at most 1");
    }
    outcomeWeights = outcomeWeights.clone();
  }

  /**
   * 10,000 agents (skew 1.1), 32 models, tokens to 128k in / 16k out, 90/6/3/1 outcomes, all valid.
   */
  public static RunContents defaults() {
    return new RunContents(
        10_000, 1.1, 32, 131_072, 16_384, 1.2, new double[] {90, 6, 3, 1}, 0, 0, 1, 42);
  }

  public RunContents withSeed(long newSeed) {
    return new RunContents(
        agents,
        agentSkew,
        models,
        maxInputTokens,
        maxOutputTokens,
        tokenSkew,
        outcomeWeights,
        badSignatureFraction,
        invalidFieldFraction,
        chainId,
        newSeed);
  }

  public RunContents withAgents(int newAgents) {
    return new RunContents(
        newAgents,
        agentSkew,
        models,
        maxInputTokens,
        maxOutputTokens,
        tokenSkew,
        outcomeWeights,
        badSignatureFraction,
        invalidFieldFraction,
        chainId,
        seed);
  }

  public RunContents withChainId(int newChainId) {
    return new RunContents(
        agents,
        agentSkew,
        models,
        maxInputTokens,
        maxOutputTokens,
        tokenSkew,
        outcomeWeights,
        badSignatureFraction,
        invalidFieldFraction,
        newChainId,
        seed);
  }

  public RunContents withBadFractions(double badSignature, double invalidField) {
    return new RunContents(
        agents,
        agentSkew,
        models,
        maxInputTokens,
        maxOutputTokens,
        tokenSkew,
        outcomeWeights,
        badSignature,
        invalidField,
        chainId,
        seed);
  }

  @Override
  public double[] outcomeWeights() {
    return outcomeWeights.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunContents r
        && agents == r.agents
        && agentSkew == r.agentSkew
        && models == r.models
        && maxInputTokens == r.maxInputTokens
        && maxOutputTokens == r.maxOutputTokens
        && tokenSkew == r.tokenSkew
        && Arrays.equals(outcomeWeights, r.outcomeWeights)
        && badSignatureFraction == r.badSignatureFraction
        && invalidFieldFraction == r.invalidFieldFraction
        && chainId == r.chainId
        && seed == r.seed;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(seed) * 31 + agents;
  }

  @Override
  public String toString() {
    return "RunContents[agents="
        + agents
        + " skew="
        + agentSkew
        + ", models="
        + models
        + ", tokens<="
        + maxInputTokens
        + "/"
        + maxOutputTokens
        + " skew="
        + tokenSkew
        + ", outcomes="
        + Arrays.toString(outcomeWeights)
        + ", badSig="
        + badSignatureFraction
        + ", invalid="
        + invalidFieldFraction
        + ", chain="
        + chainId
        + ", seed="
        + seed
        + "]";
  }
}
