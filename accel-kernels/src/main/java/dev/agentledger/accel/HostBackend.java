package dev.agentledger.accel;

import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Base of the backends that run on the JVM's own threads ({@code cpu}, and the host backends that
 * higher modules register, such as sig-verify's {@code cpu-ed25519} and hash-pipeline's {@code
 * cpu-simd}): always available, one {@link DeviceInfo#host host} device, fixed capabilities.
 * Subclasses implement only the capabilities they offer.
 */
public abstract class HostBackend implements Backend {
  private final String name;
  private final Set<Capability> capabilities;
  private final ProbeResult probe;

  /**
   * @param name the registry name
   * @param implementation what computes the results, shown in the probe (e.g. "JDK MessageDigest")
   * @param capabilities what this backend offers
   */
  protected HostBackend(String name, String implementation, Set<Capability> capabilities) {
    this.name = name;
    this.capabilities = Collections.unmodifiableSet(capabilities);
    this.probe = ProbeResult.available(name, List.of(DeviceInfo.host(implementation)));
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final ProbeResult probe() {
    return probe;
  }

  @Override
  public final boolean isHost() {
    return true;
  }

  @Override
  public final Set<Capability> capabilities() {
    return capabilities;
  }
}
