package dev.agentledger.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentledger.node.client.AgentLedgerClient;
import dev.agentledger.node.client.ClusterSubmitter;
import dev.agentledger.node.config.ConfigException;
import dev.agentledger.node.config.Genesis;
import dev.agentledger.node.config.HostPort;
import dev.agentledger.node.config.NodeConfig;
import dev.agentledger.node.execution.core.Roles;
import dev.agentledger.node.keys.KeyFile;
import dev.agentledger.node.net.TxStatus;
import dev.agentledger.node.tx.AccountOpBuilder;
import dev.agentledger.node.tx.AccountOpDescriptor;
import dev.agentledger.node.tx.AccountOpFlyweight;
import dev.agentledger.node.tx.TransactionSlot;
import dev.agentledger.sig.Ed25519KeyPair;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentledger account}: one signed account operation (REGISTER_AGENT, PERMISSION, AUTHORIZE,
 * TRANSFER) sent through a validator's client port, like a run. The signer's nonce is read from the
 * query API unless given; the command waits for the commit and prints the receipt.
 *
 * <p>Output: {@code submitted KIND TXID to HOST:PORT: STATUS}, then {@code receipt TXID CODE fee
 * FEE commit SEQ}. Exit status 0 when the receipt's code is OK, 1 when the operation was refused at
 * ingress, failed in execution or did not commit in time, 2 for bad input.
 */
@Command(
    name = "account",
    mixinStandardHelpOptions = true,
    description = "Send signed account operations through a validator and print their receipts.",
    subcommands = {
      AccountCommand.RegisterAgent.class,
      AccountCommand.Grant.class,
      AccountCommand.Authorize.class,
      AccountCommand.Transfer.class
    })
final class AccountCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every account operation shares. */
  static final class Common {
    @Option(
        names = "--key",
        required = true,
        paramLabel = "FILE",
        description = "Key file of the signer (it pays the fee and uses its next nonce).")
    Path key;

    @Option(
        names = "--config",
        required = true,
        paramLabel = "FILE",
        description =
            "Node configuration(s), repeatable: the operation goes to the signer's validator among"
                + " them, as with submit; the first's genesis gives chain id and fees.")
    List<Path> configs = new ArrayList<>();

    @Option(
        names = "--nonce",
        paramLabel = "N",
        description = "The signer's nonce (default: nextNonce of the account on the query API).")
    Long nonce;

    @picocli.CommandLine.Mixin CaOption caOption = new CaOption();

    @Option(
        names = "--max-fee",
        paramLabel = "MICROS",
        description = "max_fee (default: the operation fee under the genesis fee schedule).")
    Long maxFee;

    @Option(
        names = "--timeout-s",
        defaultValue = "60",
        paramLabel = "S",
        description = "Give up waiting for the commit after S seconds (default: ${DEFAULT-VALUE}).")
    long timeoutS;
  }

  /** {@code account register-agent}. */
  @Command(
      name = "register-agent",
      mixinStandardHelpOptions = true,
      description =
          "Give an account the agent role (signer: an operator, which also authorises it, or an"
              + " admin).")
  static final class RegisterAgent implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Common common;

    @Option(
        names = "--agent",
        required = true,
        paramLabel = "PUBKEY",
        description = "Public key of the agent (64 hex).")
    String agent;

    @Override
    public Integer call() throws Exception {
      return send(spec, common, AccountOpBuilder.registerAgent(key32(agent, "--agent")));
    }
  }

  /** {@code account grant}: PERMISSION. */
  @Command(
      name = "grant",
      mixinStandardHelpOptions = true,
      description = "Set the roles of an account (signer: an admin).")
  static final class Grant implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Common common;

    @Option(
        names = "--account",
        required = true,
        paramLabel = "PUBKEY",
        description = "Public key of the account (64 hex).")
    String account;

    @Option(
        names = "--roles",
        required = true,
        split = ",",
        paramLabel = "ROLE",
        description =
            "The account's roles after the operation, comma-separated: agent, operator, auditor,"
                + " admin (none: an empty value).")
    List<String> roles = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      int bits = 0;
      for (String role : roles) {
        if (role.isBlank()) {
          continue;
        }
        try {
          bits |= Roles.parse(role.trim());
        } catch (IllegalArgumentException e) {
          throw new MalformedInputException(
              "--roles: " + e.getMessage() + " (agent, operator, auditor, admin)");
        }
      }
      return send(spec, common, AccountOpBuilder.permission(key32(account, "--account"), bits));
    }
  }

  /** {@code account authorize}: AUTHORIZE. */
  @Command(
      name = "authorize",
      mixinStandardHelpOptions = true,
      description = "Let an agent bill its runs to the signing operator, or stop it with --revoke.")
  static final class Authorize implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Common common;

    @Option(
        names = "--agent",
        required = true,
        paramLabel = "PUBKEY",
        description = "Public key of the agent (64 hex).")
    String agent;

    @Option(names = "--revoke", description = "Revoke the authorisation instead of granting it.")
    boolean revoke;

    @Override
    public Integer call() throws Exception {
      return send(spec, common, AccountOpBuilder.authorize(key32(agent, "--agent"), !revoke));
    }
  }

  /** {@code account transfer}: TRANSFER. */
  @Command(
      name = "transfer",
      mixinStandardHelpOptions = true,
      description = "Move balance from the signer to another account.")
  static final class Transfer implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Common common;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "PUBKEY",
        description = "Public key of the receiving account (64 hex).")
    String to;

    @Option(
        names = "--amount",
        required = true,
        paramLabel = "MICROS",
        description = "Amount to move.")
    long amount;

    @Override
    public Integer call() throws Exception {
      if (amount < 0) {
        throw new MalformedInputException("--amount must be >= 0");
      }
      return send(spec, common, AccountOpBuilder.transfer(key32(to, "--to"), amount));
    }
  }

  static byte[] key32(String hex, String option) {
    if (hex.length() != 64) {
      throw new MalformedInputException(option + " must be 64 hex characters (32 bytes)");
    }
    try {
      return HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(option + " must be 64 hex characters (32 bytes)");
    }
  }

  private static HostPort reachable(HostPort listen) {
    String host = listen.host();
    return host.equals("0.0.0.0") || host.equals("::")
        ? new HostPort("127.0.0.1", listen.port())
        : listen;
  }

  /** Signs, sends, waits for the receipt and prints it; the exit status. */
  static int send(CommandSpec spec, Common common, AccountOpBuilder op)
      throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    if (common.maxFee != null && common.maxFee < 0) {
      throw new MalformedInputException("--max-fee must be >= 0");
    }
    if (common.nonce != null && common.nonce < 0) {
      throw new MalformedInputException("--nonce must be >= 0");
    }
    Ed25519KeyPair signer = KeyFile.read(common.key);
    NodeConfig config;
    Genesis genesis;
    try {
      genesis = Genesis.load(NodeConfig.load(common.configs.getFirst()).genesis());
      // the signer's validator, as submit and the load generator pin an agent's runs: its
      // transactions reach one mempool in nonce order
      byte[] slot = new byte[TransactionSlot.LENGTH];
      System.arraycopy(signer.publicKey(), 0, slot, TransactionSlot.SIGNER_OFFSET, 32);
      int pinned = ClusterSubmitter.validatorOf(new UnsafeBuffer(slot), 0, common.configs.size());
      config = NodeConfig.load(common.configs.get(pinned));
    } catch (ConfigException e) {
      throw new MalformedInputException(e.getMessage());
    }
    HostPort client = reachable(config.clientListen());
    HostPort query = reachable(config.queryListen());
    dev.agentledger.node.net.tls.ClientTls tls = common.caOption.resolve(common.configs);
    String base = ReceiptReader.baseUri(query.host(), query.port(), tls);
    HttpClient http = ReceiptReader.http(tls);
    long nonce = common.nonce != null ? common.nonce : nextNonce(http, base, signer.publicKey());
    long maxFee =
        common.maxFee != null
            ? common.maxFee
            : genesis.fees().opFee(AccountOpDescriptor.ENCODED_LENGTH);
    byte[] record = op.chainId((int) genesis.chainId()).nonce(nonce).maxFee(maxFee).sign(signer);
    AccountOpFlyweight flyweight = new AccountOpFlyweight().wrap(new UnsafeBuffer(record), 0);
    String txId = HexFormat.of().formatHex(flyweight.transactionId());
    String kind = dev.agentledger.node.tx.RunKind.fromCode(flyweight.kind()).name();
    TxStatus status;
    try (AgentLedgerClient c = AgentLedgerClient.connect(client.host(), client.port(), tls)) {
      status = c.submit(List.of(record)).getFirst();
    }
    out.println("submitted " + kind + " " + txId + " to " + client + ": " + status);
    out.flush();
    if (status != TxStatus.ACCEPTED) {
      spec.commandLine()
          .getErr()
          .println("agentledger account: refused at ingress: " + status.reason());
      return AgentLedgerCli.EXIT_FAILURE;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(common.timeoutS);
    ReceiptReader receipts = new ReceiptReader(query.host(), query.port(), tls);
    while (true) {
      try {
        ReceiptReader.Receipt r = receipts.read(HexFormat.of().parseHex(txId));
        out.printf(
            Locale.ROOT, "receipt %s %s fee %d commit %d%n", txId, r.code(), r.fee(), r.commit());
        out.flush();
        return r.code().equals("OK") ? 0 : AgentLedgerCli.EXIT_FAILURE;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          out.println("timed out: " + txId + " did not commit within " + common.timeoutS + " s");
          out.flush();
          return AgentLedgerCli.EXIT_FAILURE;
        }
        Thread.sleep(50);
      }
    }
  }

  private static long nextNonce(HttpClient http, String base, byte[] account)
      throws IOException, InterruptedException {
    String path = "/v1/accounts/" + HexFormat.of().formatHex(account);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET " + path + " answered " + response.statusCode() + " (give --nonce to skip it)");
    }
    JsonNode node = new ObjectMapper().readTree(response.body()).path("nextNonce");
    if (!node.isTextual()) {
      throw new IOException("GET " + path + ": no nextNonce in the answer");
    }
    return Long.parseUnsignedLong(node.asText());
  }
}
