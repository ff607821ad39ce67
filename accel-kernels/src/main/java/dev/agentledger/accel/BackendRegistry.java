package dev.agentledger.accel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The backends of one process, by name. {@link #discover()} finds those on the class path through
 * {@link ServiceLoader} ({@code META-INF/services/dev.agentledger.accel.Backend}); higher modules
 * may also {@link #register(Backend)} instances. Registration order is preference order among
 * equals (host backends registered later win over earlier ones for the same capability, so
 * sig-verify's Ed25519 replaces nothing and adds what cpu lacks).
 */
public final class BackendRegistry implements AutoCloseable {
  private final Map<String, Backend> backends = new LinkedHashMap<>();

  /** A registry with every backend {@link ServiceLoader} finds (cpu, opencl, cuda, ...). */
  public static BackendRegistry discover() {
    BackendRegistry registry = new BackendRegistry();
    for (Backend backend :
        ServiceLoader.load(Backend.class, BackendRegistry.class.getClassLoader())) {
      registry.register(backend);
    }
    return registry;
  }

  /** Adds a backend; a backend of the same name is replaced (and closed). */
  public synchronized BackendRegistry register(Backend backend) {
    Backend previous = backends.put(backend.name(), backend);
    if (previous != null && previous != backend) {
      previous.close();
    }
    return this;
  }

  public synchronized Optional<Backend> find(String name) {
    return Optional.ofNullable(backends.get(name));
  }

  /**
   * The backend of that name, available: throws {@link AccelException} with a one-line reason
   * (unknown name and the known ones, or why the backend is unavailable).
   */
  public synchronized Backend byName(String name) {
    Backend backend = backends.get(name);
    if (backend == null) {
      throw new AccelException(
          "unknown backend '" + name + "' (known: " + String.join(", ", backends.keySet()) + ")");
    }
    ProbeResult probe = backend.probe();
    if (!probe.available()) {
      throw new AccelException(
          "backend '" + name + "' is unavailable: " + probe.reason().orElse("unknown reason"));
    }
    return backend;
  }

  /**
   * The backend of that name providing the capability, or an {@link AccelException} saying why not.
   * {@code "cpu"} means "the host": when the {@code cpu} backend lacks the capability, the host
   * backend a higher module registered for it (sig-verify's Ed25519) answers.
   */
  public Backend byName(String name, Capability capability) {
    Backend backend = byName(name);
    if (!backend.capabilities().contains(capability)) {
      if (backend.isHost()) {
        Optional<Backend> host = hostFor(capability);
        if (host.isPresent()) {
          return host.get();
        }
      }
      throw new UnsupportedCapabilityException(name, capability);
    }
    return backend;
  }

  public synchronized List<Backend> all() {
    return List.copyOf(backends.values());
  }

  /** Available backends providing the capability, in registration order. */
  public synchronized List<Backend> providing(Capability capability) {
    List<Backend> out = new ArrayList<>();
    for (Backend b : backends.values()) {
      if (b.supports(capability)) {
        out.add(b);
      }
    }
    return out;
  }

  /** The last-registered available host backend providing the capability. */
  public synchronized Optional<Backend> hostFor(Capability capability) {
    Backend found = null;
    for (Backend b : backends.values()) {
      if (b.isHost() && b.supports(capability)) {
        found = b;
      }
    }
    return Optional.ofNullable(found);
  }

  public synchronized List<ProbeResult> probeAll() {
    List<ProbeResult> out = new ArrayList<>();
    for (Backend b : backends.values()) {
      out.add(b.probe());
    }
    return out;
  }

  @Override
  public synchronized void close() {
    for (Backend b : backends.values()) {
      b.close();
    }
    backends.clear();
  }
}
