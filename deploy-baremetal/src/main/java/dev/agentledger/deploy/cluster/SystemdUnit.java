package dev.agentledger.deploy.cluster;

import dev.agentledger.node.config.CpuList;
import dev.agentledger.node.config.HostPort;
import dev.agentledger.node.config.NodeConfig;
import dev.agentledger.node.config.SigBackend;
import java.nio.file.Path;

/**
 * Renders the systemd service of one validator, and the sysusers.d / tmpfiles.d lines that create
 * its dedicated user and its data directory owned by that user.
 *
 * <p>The unit runs the node as an unprivileged system user with no capabilities, a read-only view
 * of the whole file system except its data directory ({@code ProtectSystem=strict} + {@code
 * ReadWritePaths=}), a private /tmp, no access to home directories, no new privileges, and the
 * kernel tunables, modules, logs and control groups protected (systemd.exec(5)). It raises {@code
 * LimitMEMLOCK} (io_uring rings and registered buffers are locked memory) and {@code LimitNOFILE}
 * (one socket per client), pins the process with {@code CPUAffinity=} when the configuration lists
 * CPUs, and restarts on failure with a pause between attempts and a start limit, after which the
 * unit stays failed until an operator looks ({@code systemctl reset-failed}).
 *
 * <p>{@code MemoryDenyWriteExecute=} is deliberately absent: the JVM's JIT compiler needs memory
 * that is writable and executable. GPU backends keep device access ({@code PrivateDevices=} off)
 * but are restricted to the NVIDIA, DRM and KFD device nodes.
 */
public final class SystemdUnit {
  /**
   * How the validator JVM backs its heap with huge pages, passed in {@code AGENTLEDGER_JAVA_OPTS}:
   * {@code THP} asks for transparent huge pages ({@code -XX:+UseTransparentHugePages}; the kernel
   * must allow them, {@code madvise} or {@code always}, which tune-host.sh sets), {@code RESERVED}
   * uses the pages reserved in {@code vm.nr_hugepages} ({@code -XX:+UseLargePages}; tune-host.sh
   * --hugepages N reserves them, and the heap must fit in the free ones), {@code OFF} passes
   * neither.
   */
  public enum HugePages {
    THP("-XX:+UseTransparentHugePages"),
    RESERVED("-XX:+UseLargePages"),
    OFF("");

    private final String jvmOption;

    HugePages(String jvmOption) {
      this.jvmOption = jvmOption;
    }

    /** The JVM option, empty for {@code OFF}. */
    public String jvmOption() {
      return jvmOption;
    }

    /** The name on the command line: thp, reserved, off. */
    public String cliName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses thp, reserved or off. */
    public static HugePages parse(String text) {
      for (HugePages mode : values()) {
        if (mode.cliName().equals(text)) {
          return mode;
        }
      }
      throw new IllegalArgumentException("'" + text + "' is not one of thp, reserved, off");
    }
  }

  /**
   * Where the appliance is installed and configured on the host, and who runs it; {@code heap} is
   * the validator JVM's heap limit ({@code AGENTLEDGER_HEAP}, which the launcher turns into {@code
   * -Xmx}), e.g. {@code 4g}; {@code hugePages} how that heap is backed.
   */
  public record Options(
      String user,
      Path installDir,
      Path configDir,
      long noFileLimit,
      int restartSec,
      int startLimitBurst,
      int startLimitIntervalSec,
      String heap,
      HugePages hugePages) {
    public Options {
      if (heap == null || !heap.matches("[1-9][0-9]*[kKmMgG]?")) {
        throw new IllegalArgumentException("heap must be a -Xmx size such as 4g: " + heap);
      }
      if (hugePages == null) {
        throw new IllegalArgumentException("hugePages must be thp, reserved or off");
      }
    }

    /** The same options without a huge-page choice given: transparent huge pages. */
    public Options(
        String user,
        Path installDir,
        Path configDir,
        long noFileLimit,
        int restartSec,
        int startLimitBurst,
        int startLimitIntervalSec,
        String heap) {
      this(
          user,
          installDir,
          configDir,
          noFileLimit,
          restartSec,
          startLimitBurst,
          startLimitIntervalSec,
          heap,
          HugePages.THP);
    }

    public Options withHugePages(HugePages mode) {
      return new Options(
          user,
          installDir,
          configDir,
          noFileLimit,
          restartSec,
          startLimitBurst,
          startLimitIntervalSec,
          heap,
          mode);
    }

    public static Options defaults() {
      return new Options(
          "agentledger",
          Path.of("/opt/agentledger"),
          Path.of("/etc/agentledger"),
          1_048_576,
          5,
          5,
          600,
          "4g");
    }

    public Options withUser(String newUser) {
      return new Options(
          newUser,
          installDir,
          configDir,
          noFileLimit,
          restartSec,
          startLimitBurst,
          startLimitIntervalSec,
          heap,
          hugePages);
    }

    public Options withInstallDir(Path dir) {
      return new Options(
          user,
          dir,
          configDir,
          noFileLimit,
          restartSec,
          startLimitBurst,
          startLimitIntervalSec,
          heap,
          hugePages);
    }

    public Options withConfigDir(Path dir) {
      return new Options(
          user,
          installDir,
          dir,
          noFileLimit,
          restartSec,
          startLimitBurst,
          startLimitIntervalSec,
          heap,
          hugePages);
    }
  }

  private SystemdUnit() {}

  /** The unit's file name: {@code agentledger-<id>.service}. */
  public static String unitName(String validatorId) {
    return "agentledger-" + validatorId + ".service";
  }

  /** Where the node's configuration lives on the host: {@code <configDir>/<id>/node.yaml}. */
  public static Path installedConfig(Options options, String validatorId) {
    return options.configDir().resolve(validatorId).resolve("node.yaml");
  }

  /**
   * The node's data directory on the host: absolute as configured, or a relative one resolved
   * against the installed configuration directory.
   */
  public static Path installedDataDir(Options options, String validatorId, Path dataDir) {
    return dataDir.isAbsolute()
        ? dataDir
        : options.configDir().resolve(validatorId).resolve(dataDir).normalize();
  }

  /** The unit text for one node, with no start check. */
  public static String render(
      String validatorId,
      String name,
      Path dataDir,
      SigBackend backend,
      CpuList cpus,
      Options options) {
    return render(validatorId, name, dataDir, backend, cpus, null, options);
  }

  /**
   * The unit text for one node. {@code dataDir} is the configured (possibly relative) one. With a
   * {@code query} address, starting the unit waits until the node answers {@code GET /health} with
   * 200 there ({@code ExecStartPost=} curl, a wildcard address asked at 127.0.0.1), and a node that
   * never does fails its start and is restarted.
   */
  public static String render(
      String validatorId,
      String name,
      Path dataDir,
      SigBackend backend,
      CpuList cpus,
      HostPort query,
      Options options) {
    checkUser(options.user());
    Path data = installedDataDir(options, validatorId, dataDir);
    Path config = installedConfig(options, validatorId);
    Path launcher = options.installDir().resolve("bin").resolve("agentledger");
    checkPath(data);
    checkPath(config);
    checkPath(launcher);
    StringBuilder u = new StringBuilder();
    u.append("# Generated by 'agentledger cluster' for validator ")
        .append(validatorId)
        .append(" (")
        .append(name)
        .append(").\n");
    u.append(
        "# Regenerate instead of editing; local changes belong in a drop-in (systemctl edit).\n");
    u.append("[Unit]\n");
    u.append("Description=AgentLedger validator ")
        .append(validatorId)
        .append(" (")
        .append(name)
        .append(")\n");
    u.append("Documentation=file://")
        .append(options.installDir().resolve("deploy-baremetal/README.md"))
        .append('\n');
    u.append("Wants=network-online.target time-sync.target\n");
    u.append("After=network-online.target time-sync.target\n");
    u.append("# Back-off: RestartSec between attempts; more than StartLimitBurst starts within\n");
    u.append("# StartLimitIntervalSec leave the unit failed until 'systemctl reset-failed'.\n");
    u.append("StartLimitIntervalSec=").append(options.startLimitIntervalSec()).append('\n');
    u.append("StartLimitBurst=").append(options.startLimitBurst()).append('\n');
    u.append('\n');
    u.append("[Service]\n");
    u.append("Type=simple\n");
    u.append("User=").append(options.user()).append('\n');
    u.append("Group=").append(options.user()).append('\n');
    u.append("Environment=AGENTLEDGER_NO_REBUILD=1\n");
    u.append(
        "# Heap limit (the launcher's -Xmx); off-heap RocksDB caches and Netty buffers come on top.\n");
    u.append("Environment=AGENTLEDGER_HEAP=").append(options.heap()).append('\n');
    if (options.hugePages() != HugePages.OFF) {
      u.append("# Huge pages for the heap (")
          .append(options.hugePages().cliName())
          .append(
              options.hugePages() == HugePages.THP
                  ? ": transparent, the kernel in madvise or always mode"
                  : ": reserved by tune-host.sh --hugepages N, the heap must fit in the free ones")
          .append("); preflight checks them.\n");
      u.append("Environment=AGENTLEDGER_JAVA_OPTS=")
          .append(options.hugePages().jvmOption())
          .append('\n');
    }
    u.append("ExecStart=")
        .append(launcher)
        .append(" node run --config ")
        .append(config)
        .append('\n');
    if (query != null) {
      u.append("# Started means live: the node answers GET /health with 200 on its query port.\n");
      u.append("ExecStartPost=").append(healthCheck(query)).append('\n');
      u.append("TimeoutStartSec=").append(HEALTH_WAIT_S + 30).append("s\n");
    }
    u.append("WorkingDirectory=").append(data).append('\n');
    u.append(
        "# Exit 70: an agent died (OutOfMemoryError, ...) and the node stopped; it is restarted.\n");
    u.append("Restart=on-failure\n");
    u.append(
        "# Exit 74: the disk is (nearly) full or a storage write failed; restarting cannot help.\n");
    u.append("RestartPreventExitStatus=74\n");
    u.append("RestartSec=").append(options.restartSec()).append("s\n");
    u.append("TimeoutStopSec=60s\n");
    u.append(
        "# io_uring rings and registered buffers are locked memory; one descriptor per connection.\n");
    u.append("LimitMEMLOCK=infinity\n");
    u.append("LimitNOFILE=").append(options.noFileLimit()).append('\n');
    if (!cpus.isEmpty()) {
      u.append("CPUAffinity=").append(cpus.toString().replace(',', ' ')).append('\n');
    }
    u.append("# The data directory is the only writable path; it is owned by ")
        .append(options.user())
        .append('\n');
    u.append("# (created by tmpfiles.d, see agentledger-")
        .append(validatorId)
        .append(".tmpfiles.conf).\n");
    u.append("ReadWritePaths=").append(data).append('\n');
    u.append("UMask=0027\n");
    u.append("NoNewPrivileges=yes\n");
    u.append("ProtectSystem=strict\n");
    u.append("ProtectHome=yes\n");
    u.append("PrivateTmp=yes\n");
    if (backend == SigBackend.CPU) {
      u.append("PrivateDevices=yes\n");
    } else {
      u.append("# GPU backend (")
          .append(backend.configName())
          .append("): only the accelerator's device nodes.\n");
      u.append("DevicePolicy=closed\n");
      u.append("DeviceAllow=char-nvidiactl rw\n");
      u.append("DeviceAllow=char-nvidia-frontend rw\n");
      u.append("DeviceAllow=char-nvidia-uvm rw\n");
      u.append("DeviceAllow=char-drm rw\n");
      u.append("DeviceAllow=/dev/kfd rw\n");
    }
    u.append("ProtectKernelTunables=yes\n");
    u.append("ProtectKernelModules=yes\n");
    u.append("ProtectKernelLogs=yes\n");
    u.append("ProtectControlGroups=yes\n");
    u.append("ProtectClock=yes\n");
    u.append("ProtectHostname=yes\n");
    u.append("RestrictNamespaces=yes\n");
    u.append("RestrictRealtime=yes\n");
    u.append("RestrictSUIDSGID=yes\n");
    u.append("LockPersonality=yes\n");
    u.append("RemoveIPC=yes\n");
    u.append("SystemCallArchitectures=native\n");
    u.append("CapabilityBoundingSet=\n");
    u.append("AmbientCapabilities=\n");
    u.append("RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK\n");
    u.append("# No MemoryDenyWriteExecute: the JVM's JIT needs writable, executable memory.\n");
    u.append('\n');
    u.append("[Install]\n");
    u.append("WantedBy=multi-user.target\n");
    return u.toString();
  }

  /** The unit for a loaded node configuration, with its start check on the query port. */
  public static String render(NodeConfig config, Options options) {
    return render(
        config.validatorId(),
        config.name(),
        config.dataDir(),
        config.sigBackend(),
        config.cpus(),
        config.queryListen(),
        options);
  }

  /** Seconds a unit's start waits for the node's {@code /health}. */
  public static final int HEALTH_WAIT_S = 120;

  /** The curl command line that waits until {@code query} answers {@code /health} with 200. */
  public static String healthCheck(HostPort query) {
    String host = query.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty()) {
      host = "127.0.0.1";
    }
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    checkPath(Path.of(host));
    return "/usr/bin/curl --silent --fail --output /dev/null --max-time 2 --retry "
        + HEALTH_WAIT_S
        + " --retry-delay 1 --retry-max-time "
        + HEALTH_WAIT_S
        + " --retry-all-errors --retry-connrefused http://"
        + host
        + ":"
        + query.port()
        + "/health";
  }

  /** sysusers.d(5) line: the dedicated system user, no login shell. */
  public static String sysusers(Options options) {
    checkUser(options.user());
    return "# AgentLedger service user (systemd-sysusers)\n"
        + "u "
        + options.user()
        + " - \"AgentLedger node\" /var/lib/"
        + options.user()
        + " /usr/sbin/nologin\n";
  }

  /** tmpfiles.d(5) line: the data directory, mode 0750, owned by the service user. */
  public static String tmpfiles(String validatorId, Path dataDir, Options options) {
    checkUser(options.user());
    Path data = installedDataDir(options, validatorId, dataDir);
    return "# AgentLedger validator "
        + validatorId
        + ": data directory (systemd-tmpfiles --create)\n"
        + "d "
        + data
        + " 0750 "
        + options.user()
        + " "
        + options.user()
        + " -\n";
  }

  /** Unit files split on whitespace and expand '%' specifiers; such paths are refused. */
  private static void checkPath(Path path) {
    String text = path.toString();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == '%' || c == '"' || c == '\\' || c < 0x20) {
        throw new IllegalArgumentException(
            "path '" + text + "' contains '" + c + "', which a systemd unit would misread");
      }
    }
  }

  private static void checkUser(String user) {
    if (user == null || !user.matches("[a-z_][a-z0-9_-]{0,31}")) {
      throw new IllegalArgumentException(
          "service user '" + user + "' is not a valid user name ([a-z_][a-z0-9_-]{0,31})");
    }
  }
}
