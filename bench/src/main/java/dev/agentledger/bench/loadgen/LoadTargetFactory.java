package dev.agentledger.bench.loadgen;

import java.util.Map;

/**
 * Makes load targets other than {@code local}, found with {@link java.util.ServiceLoader} under
 * {@code META-INF/services/dev.agentledger.bench.loadgen.LoadTargetFactory}. The cluster client
 * (Netty, branch nodedata) registers {@code cluster} here; {@code agentledger loadgen --target NAME
 * --target-opt key=value ...} passes the options through.
 */
public interface LoadTargetFactory {
  /** The name used with {@code --target}. */
  String name();

  /** A fresh, unstarted target. */
  LoadTarget create(Map<String, String> options) throws Exception;

  /** The factory named {@code name}, if one is on the class path. */
  static java.util.Optional<LoadTargetFactory> find(String name) {
    for (LoadTargetFactory factory : java.util.ServiceLoader.load(LoadTargetFactory.class)) {
      if (factory.name().equals(name)) {
        return java.util.Optional.of(factory);
      }
    }
    return java.util.Optional.empty();
  }
}
