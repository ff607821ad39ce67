package dev.agentledger.bench.faults;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A Linux network namespace joined to the host by a veth pair (iproute2's {@code ip}; root only),
 * for one validator of the fault suite: the validator runs inside ({@link #exec}) and reaches the
 * host, and the host reaches it, only over the pair's point-to-point /30. {@link #cut()} sets the
 * host end down, which drops every packet both ways at the IP level (no reset, no close: the
 * validator's connections stall as they do when a cable is pulled); {@link #heal()} sets it up
 * again.
 *
 * <p>Names are {@code alf<base port>n<victim>} for the namespace and its end of the pair, {@code
 * alf<base port>h<victim>} for the host end (at most 15 characters, the kernel's limit). The /30 is
 * {@code 10.201.(base port / 100 mod 256).(4 * victim)}: the host end is {@code .1}, the
 * namespace's {@code .2}. A marker file under {@link #MARKERS} holds the creating process's id;
 * {@link #removeStale} deletes what a run that was killed left behind (its process is gone), and
 * {@link #create} first deletes a namespace and link of the same names.
 */
final class NetNamespace implements AutoCloseable {
  /** Where each namespace's marker (named like it, holding the owner's process id) lives. */
  static final Path MARKERS = Path.of("/run/agentledger-faults");

  private static final String PREFIX = "alf";

  private final String name;
  private final String hostLink;
  private final InetAddress hostAddress;
  private final InetAddress namespaceAddress;
  private boolean closed;

  private NetNamespace(
      String name, String hostLink, InetAddress hostAddress, InetAddress namespaceAddress) {
    this.name = name;
    this.hostLink = hostLink;
    this.hostAddress = hostAddress;
    this.namespaceAddress = namespaceAddress;
  }

  /** The namespace's name for a cluster on {@code basePort} and validator {@code victim}. */
  static String name(int basePort, int victim) {
    return PREFIX + basePort + "n" + victim;
  }

  /** The host end of the pair. */
  static String hostLink(int basePort, int victim) {
    return PREFIX + basePort + "h" + victim;
  }

  /** The host end's address ({@code hostEnd}) or the namespace end's. */
  static InetAddress address(int basePort, int victim, boolean hostEnd)
      throws UnknownHostException {
    if (victim < 0 || victim > 63) {
      throw new IllegalArgumentException("validator " + victim + ": at most 64 namespaces");
    }
    return InetAddress.getByAddress(
        new byte[] {
          10, (byte) 201, (byte) (basePort / 100), (byte) (4 * victim + (hostEnd ? 1 : 2))
        });
  }

  /**
   * Makes the namespace and its pair for validator {@code victim} of the cluster on {@code
   * basePort}, after deleting any left over under the same names.
   */
  static NetNamespace create(int basePort, int victim) throws IOException, InterruptedException {
    String name = name(basePort, victim);
    String host = hostLink(basePort, victim);
    String inside = PREFIX + basePort + "n" + victim;
    InetAddress hostAddress = address(basePort, victim, true);
    InetAddress nsAddress = address(basePort, victim, false);
    remove(name, host);
    Files.createDirectories(MARKERS);
    Files.writeString(MARKERS.resolve(name), Long.toString(ProcessHandle.current().pid()));
    NetNamespace ns = new NetNamespace(name, host, hostAddress, nsAddress);
    try {
      LocalCluster.run("ip", "netns", "add", name);
      LocalCluster.run(
          "ip", "link", "add", host, "type", "veth", "peer", "name", inside, "netns", name);
      LocalCluster.run("ip", "addr", "add", hostAddress.getHostAddress() + "/30", "dev", host);
      LocalCluster.run("ip", "link", "set", host, "up");
      LocalCluster.run(
          "ip", "-n", name, "addr", "add", nsAddress.getHostAddress() + "/30", "dev", inside);
      LocalCluster.run("ip", "-n", name, "link", "set", inside, "up");
      LocalCluster.run("ip", "-n", name, "link", "set", "lo", "up");
      ns.awaitCarrier();
    } catch (IOException | InterruptedException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  String name() {
    return name;
  }

  InetAddress hostAddress() {
    return hostAddress;
  }

  InetAddress namespaceAddress() {
    return namespaceAddress;
  }

  /** {@code command} run inside the namespace ({@code ip netns exec} execs it: same process). */
  List<String> exec(List<String> command) {
    List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", name));
    out.addAll(command);
    return out;
  }

  /** Drops every packet between the namespace and the host (the host end goes down). */
  void cut() throws IOException, InterruptedException {
    LocalCluster.run("ip", "link", "set", hostLink, "down");
  }

  /**
   * Carries packets again: the host end goes up, and this returns once both ends report a carrier
   * ({@code LOWER_UP}; the kernel raises it a moment after the link is set up, and until then a
   * connect from inside fails at once as unreachable), or after {@link #CARRIER_WAIT_MS}.
   */
  void heal() throws IOException, InterruptedException {
    LocalCluster.run("ip", "link", "set", hostLink, "up");
    awaitCarrier();
  }

  /** Waits until both ends report a carrier, at most {@link #CARRIER_WAIT_MS}. */
  private void awaitCarrier() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + CARRIER_WAIT_MS * 1_000_000L;
    while (System.nanoTime() < deadline
        && !(output("ip", "-o", "link", "show", hostLink).contains("LOWER_UP")
            && output("ip", "-n", name, "-o", "link", "show", name).contains("LOWER_UP"))) {
      Thread.sleep(20);
    }
  }

  /** How long {@link #heal} waits for the carrier at most. */
  static final long CARRIER_WAIT_MS = 5_000;

  /**
   * Deletes the namespaces and links of earlier runs whose process is gone (killed before its
   * cleanup), as their markers name them; returns the names deleted.
   */
  static List<String> removeStale(PrintWriter log) throws IOException, InterruptedException {
    List<String> removed = new ArrayList<>();
    if (!Files.isDirectory(MARKERS)) {
      return removed;
    }
    List<Path> markers;
    try (Stream<Path> files = Files.list(MARKERS)) {
      markers = files.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList();
    }
    for (Path marker : markers) {
      long pid;
      try {
        pid = Long.parseLong(Files.readString(marker).strip());
      } catch (NumberFormatException | IOException e) {
        pid = -1;
      }
      if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        continue;
      }
      String name = marker.getFileName().toString();
      remove(name, name.replaceFirst("n(\\d+)$", "h$1"));
      Files.deleteIfExists(marker);
      removed.add(name);
      if (log != null) {
        log.printf(Locale.ROOT, "removed namespace %s left by a run that was stopped%n", name);
        log.flush();
      }
    }
    return removed;
  }

  /**
   * Deletes namespace {@code name} and link {@code hostLink} if they exist (deleting one end of a
   * veth pair deletes both; a namespace a process still runs in lives on without its link).
   */
  private static void remove(String name, String hostLink)
      throws IOException, InterruptedException {
    if (exists("ip", "link", "show", hostLink)) {
      LocalCluster.run("ip", "link", "del", hostLink);
    }
    if (exists("ip", "netns", "pids", name)) {
      for (String pid : output("ip", "netns", "pids", name).split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      LocalCluster.run("ip", "netns", "del", name);
    }
  }

  private static boolean exists(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  private static String output(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  /** Whether this process may make namespaces (root, with iproute2 installed). */
  static boolean available() {
    try {
      return "0".equals(output("id", "-u").strip()) && exists("ip", "netns", "list");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Deletes the namespace, its pair and its marker (the processes inside are killed first). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      remove(name, hostLink);
      Files.deleteIfExists(MARKERS.resolve(name));
    } catch (IOException e) {
      System.err.println("could not delete namespace " + name + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
