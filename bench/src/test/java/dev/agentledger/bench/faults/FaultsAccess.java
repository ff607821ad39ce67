package dev.agentledger.bench.faults;

/** What the CLI's tests may ask of this package's package-private classes. */
public final class FaultsAccess {
  private FaultsAccess() {}

  /** Whether network namespaces can be made here ({@link NetNamespace#available}). */
  public static boolean namespacesAvailable() {
    return NetNamespace.available();
  }
}
