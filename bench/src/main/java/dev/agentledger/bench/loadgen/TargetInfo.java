package dev.agentledger.bench.loadgen;

/**
 * Description of a load target for the report.
 *
 * @param name short name ({@code local}, {@code cluster})
 * @param description what runs, in one or two sentences
 * @param committedMeans what a commit callback guarantees (which stages ran, what is durable)
 * @param sigverifyBackend which backend verified signatures
 */
public record TargetInfo(
    String name, String description, String committedMeans, String sigverifyBackend) {}
