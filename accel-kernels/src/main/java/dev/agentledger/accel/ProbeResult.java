package dev.agentledger.accel;

import java.util.List;
import java.util.Optional;

/**
 * What a backend found when it looked for its runtime and devices. Availability is a value: a
 * backend whose native library or device is missing returns {@code available = false} and the exact
 * reason, it never throws from a class initializer.
 *
 * @param backend backend name
 * @param available whether launches can be made
 * @param reason why not, when unavailable (empty otherwise)
 * @param devices the devices found (the first is the one used)
 */
public record ProbeResult(
    String backend, boolean available, Optional<String> reason, List<DeviceInfo> devices) {

  public ProbeResult {
    devices = List.copyOf(devices);
  }

  public static ProbeResult available(String backend, List<DeviceInfo> devices) {
    return new ProbeResult(backend, true, Optional.empty(), devices);
  }

  public static ProbeResult unavailable(String backend, String reason) {
    return new ProbeResult(backend, false, Optional.of(reason), List.of());
  }

  /** The device launches go to. */
  public Optional<DeviceInfo> device() {
    return devices.isEmpty() ? Optional.empty() : Optional.of(devices.get(0));
  }
}
