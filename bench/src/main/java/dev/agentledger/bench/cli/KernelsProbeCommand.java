package dev.agentledger.bench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentledger.accel.Backend;
import dev.agentledger.accel.BackendRegistry;
import dev.agentledger.accel.Capability;
import dev.agentledger.accel.DeviceInfo;
import dev.agentledger.accel.ProbeResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kernels probe}: every backend, its devices, or the exact reason it is unavailable. */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description =
        "List accelerator backends with their devices, or why each unavailable one is unavailable.")
final class KernelsProbeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Machine-readable output.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (BackendRegistry registry = BackendRegistry.discover()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Backend backend : registry.all()) {
        ProbeResult probe = backend.probe();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("backend", backend.name());
        row.put("available", probe.available());
        probe.reason().ifPresent(r -> row.put("reason", r));
        if (probe.available()) {
          List<String> caps = new ArrayList<>();
          for (Capability c : Capability.values()) {
            if (backend.capabilities().contains(c)) {
              caps.add(c.shortName());
            }
          }
          row.put("capabilities", caps);
        }
        List<Map<String, Object>> devices = new ArrayList<>();
        for (DeviceInfo d : probe.devices()) {
          Map<String, Object> dev = new LinkedHashMap<>();
          dev.put("name", d.name());
          dev.put("vendor", d.vendor());
          dev.put("type", d.type());
          dev.put("computeUnits", d.computeUnits());
          dev.put("globalMemoryBytes", d.globalMemoryBytes());
          dev.put("clockMhz", d.clockMhz());
          dev.put("driverVersion", d.driverVersion());
          dev.put("runtimeVersion", d.runtimeVersion());
          dev.put("cpuNumbers", d.isCpu());
          devices.add(dev);
        }
        row.put("devices", devices);
        rows.add(row);
        if (!json) {
          printText(out, backend, probe);
        }
      }
      if (json) {
        out.println(
            new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(Map.of("backends", rows)));
      }
    }
    return 0;
  }

  private static void printText(PrintWriter out, Backend backend, ProbeResult probe) {
    if (!probe.available()) {
      out.printf("%-7s unavailable: %s%n", backend.name(), probe.reason().orElse("unknown reason"));
      return;
    }
    List<String> caps = new ArrayList<>();
    for (Capability c : Capability.values()) {
      if (backend.capabilities().contains(c)) {
        caps.add(c.shortName());
      }
    }
    out.printf("%-7s available (%s)%n", backend.name(), String.join(", ", caps));
    boolean first = true;
    for (DeviceInfo d : probe.devices()) {
      out.printf(
          "        %s %s [%s%s], vendor %s, %d compute units, %.1f GiB, %s MHz, driver %s, %s%n",
          first ? "*" : "-",
          d.name(),
          d.type(),
          d.isCpu() ? ": timings are CPU numbers" : "",
          d.vendor(),
          d.computeUnits(),
          d.globalMemoryBytes() / (double) (1L << 30),
          d.clockMhz() == 0 ? "?" : Integer.toString(d.clockMhz()),
          d.driverVersion(),
          d.runtimeVersion());
      first = false;
    }
  }
}
