package dev.agentledger.bench.loadgen.core;

/**
 * What one find-max probe measured, reduced to the numbers the verdict needs.
 *
 * @param offeredTps the rate the probe asked for
 * @param committed transactions committed
 * @param lost accepted but never committed
 * @param unanswered submitted and never accepted, rejected or committed
 * @param overloadRejections rejections whose reason says the target shed load (back-pressure)
 * @param p99CommitLatencyNs p99 of commit latency measured from the intended send time
 * @param generatorLagP99Ns p99 of (actual send - intended send): how far the generator fell behind
 */
public record ProbeResult(
    double offeredTps,
    long committed,
    long lost,
    long unanswered,
    long overloadRejections,
    long p99CommitLatencyNs,
    long generatorLagP99Ns) {}
