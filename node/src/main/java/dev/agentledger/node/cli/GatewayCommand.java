package dev.agentledger.node.cli;

import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.config.ExecutionGenesisMapping;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.HostPort;
import dev.agentledger.node.config.NodeConfig;
import dev.agentledger.node.gateway.AgentKeystore;
import dev.agentledger.node.gateway.LedgerAccounts;
import dev.agentledger.node.gateway.OtlpGateway;
import dev.agentledger.node.gateway.RunSink;
import dev.agentledger.node.gateway.SpanIngest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code agentledger gateway}: ingest gateways in front of the validators. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = "Ingest gateways that turn other formats into signed runs.",
    subcommands = {GatewayCommand.Otlp.class})
final class GatewayCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code agentledger gateway otlp}: OpenTelemetry GenAI spans over OTLP/HTTP. */
  @Command(
      name = "otlp",
      mixinStandardHelpOptions = true,
      description =
          "Receive OpenTelemetry GenAI spans over OTLP/HTTP (POST /v1/traces, protobuf or JSON) and"
              + " submit each as an AgentRun signed with the agent's key from the keystore.")
  static final class Otlp implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--listen",
        paramLabel = "HOST:PORT",
        defaultValue = "127.0.0.1:4318",
        description = "Where to serve /v1/traces (default: ${DEFAULT-VALUE}, the OTLP/HTTP port).")
    String listen;

    @Option(
        names = "--keystore",
        required = true,
        paramLabel = "DIR",
        description = "Agent keys: DIR/<agent id>.key (keygen format, mode 0600).")
    Path keystore;

    @Option(
        names = "--config",
        required = true,
        paramLabel = "NODE.yaml",
        description =
            "A validator's configuration (repeatable): its client port takes runs, its query port"
                + " answers nonces and roles; the genesis gives the chain id and fees.")
    List<Path> configs;

    @Option(
        names = "--tls-cert",
        paramLabel = "FILE",
        description = "Serve HTTPS (TLS 1.3) with this PEM certificate chain (with --tls-key).")
    Path tlsCert;

    @Option(
        names = "--tls-key",
        paramLabel = "FILE",
        description = "The PEM private key of --tls-cert.")
    Path tlsKey;

    @picocli.CommandLine.Mixin CaOption caOption = new CaOption();

    /** Stops a running gateway (tests); the command otherwise runs until the process ends. */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      List<InetSocketAddress> clients = new ArrayList<>();
      List<String> queries = new ArrayList<>();
      Genesis genesis = null;
      HostPort bind;
      try {
        bind = HostPort.parse(listen);
        for (Path config : configs) {
          NodeConfig node = NodeConfig.load(config);
          clients.add(local(node.clientListen()));
          InetSocketAddress q = local(node.queryListen());
          queries.add(q.getHostString() + ":" + q.getPort());
          Genesis g = Genesis.load(node.genesis());
          if (genesis != null && g.chainId() != genesis.chainId()) {
            throw new MalformedInputException(
                config + ": chain " + g.chainId() + ", the others " + genesis.chainId());
          }
          genesis = g;
        }
      } catch (ConfigException | IllegalArgumentException e) {
        throw new MalformedInputException(e.getMessage());
      }
      if ((tlsCert == null) != (tlsKey == null)) {
        throw new MalformedInputException("give both --tls-cert and --tls-key, or neither");
      }
      dev.agentledger.node.net.tls.ServerTls serverTls;
      try {
        serverTls =
            tlsCert == null ? null : dev.agentledger.node.net.tls.ServerTls.load(tlsCert, tlsKey);
      } catch (IllegalArgumentException e) {
        throw new MalformedInputException(e.getMessage());
      }
      dev.agentledger.node.net.tls.ClientTls clientTls = caOption.resolve(configs);
      AgentKeystore keys;
      try {
        keys = new AgentKeystore(keystore);
      } catch (IOException e) {
        throw new MalformedInputException(e.getMessage());
      }
      try (RunSink sink = new RunSink(clients, clientTls);
          OtlpGateway gateway =
              new OtlpGateway(
                      new SpanIngest(
                          (int) genesis.chainId(),
                          ExecutionGenesisMapping.fees(genesis.fees()),
                          keys,
                          new LedgerAccounts(queries, clientTls),
                          sink))
                  .tls(serverTls)) {
        InetSocketAddress bound = gateway.start(new InetSocketAddress(bind.host(), bind.port()));
        out.println(
            "otlp gateway: "
                + (serverTls != null ? "https" : "http")
                + "://"
                + bound.getHostString()
                + ":"
                + bound.getPort()
                + "/v1/traces -> "
                + clients.size()
                + " validator(s), chain "
                + genesis.chainId());
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "otlp-gateway-stop"));
        stop.await();
        long[] c = gateway.counts();
        out.println(
            "otlp gateway: spans accepted "
                + c[0]
                + ", rejected "
                + c[1]
                + ", re-sent "
                + c[2]
                + ", not GenAI "
                + c[3]);
        out.flush();
      }
      return 0;
    }

    private static InetSocketAddress local(HostPort listen) {
      String host =
          listen.host().equals("0.0.0.0") || listen.host().equals("::")
              ? "127.0.0.1"
              : listen.host();
      return InetSocketAddress.createUnresolved(host, listen.port());
    }
  }
}
