package dev.agentledger.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentledger.hash.Sha256;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.committee.Committee.Delegation;
import dev.agentledger.node.execution.core.FeeSchedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The genesis of a chain: what every validator must agree on before the first round.
 *
 * <pre>
 * format: agentledger-genesis/v1
 * chain_id: 7                       # u32, part of every signed transaction
 * genesis_time_ns: 0                # optional, unix nanoseconds
 * committee:                        # the first validator set (DPoS: stake = sum of delegations)
 *   - id: v0
 *     name: validator-0
 *     public_key: 64 hex
 *     stake: 1000000
 *     delegations: [{delegator: 64 hex, amount: 1000000}]
 *     peer_address: 10.0.0.1:7100
 *     client_address: 10.0.0.1:7200
 * fees: {base_fee_micros: 1000, per_byte_micros: 1, per_input_token_micros: 2,
 *        per_output_token_micros: 8, per_compute_ms_micros: 1, per_gpu_ms_micros: 10}
 * admins: [64 hex, ...]             # accounts allowed to change permissions and parameters
 * initial_balances: [{account: 64 hex, amount: 1000000000}]
 * accounts:                         # optional: accounts created with roles (and a balance)
 *   - {account: 64 hex, roles: [agent], balance: 1000000000}
 * </pre>
 *
 * <p>An account may appear in {@code admins} and in {@code accounts} (its roles are then the
 * union), but not in both {@code initial_balances} and {@code accounts}: a balance is stated once.
 *
 * <p>Quorums are stake-weighted: a quorum holds more than two thirds of the total stake, so the
 * committee tolerates faulty validators holding less than one third (Narwhal/Bullshark, section 2
 * of the Bullshark paper).
 */
public record Genesis(
    long chainId,
    long genesisTimeNs,
    List<Validator> committee,
    FeeSchedule fees,
    List<String> admins,
    List<Balance> initialBalances,
    List<Account> accounts) {

  /** The format tag at the top of every genesis file. */
  public static final String FORMAT = "agentledger-genesis/v1";

  /** Largest chain id: chain ids are u32 in the transaction encoding. */
  public static final long MAX_CHAIN_ID = 0xFFFF_FFFFL;

  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
  static final int KEY_BYTES = 32;

  public Genesis {
    committee = List.copyOf(committee);
    admins = List.copyOf(admins);
    initialBalances = List.copyOf(initialBalances);
    accounts = List.copyOf(accounts);
  }

  /** A genesis without an {@code accounts:} list. */
  public Genesis(
      long chainId,
      long genesisTimeNs,
      List<Validator> committee,
      FeeSchedule fees,
      List<String> admins,
      List<Balance> initialBalances) {
    this(chainId, genesisTimeNs, committee, fees, admins, initialBalances, List.of());
  }

  /** Sum of all validators' stake. */
  public long totalStake() {
    long total = 0;
    for (Validator validator : committee) {
      total = Math.addExact(total, validator.stake());
    }
    return total;
  }

  /**
   * The least stake that is more than two thirds of the total: {@code floor(2T/3) + 1}, computed as
   * {@code T - ceil(T/3) + 1} so that it cannot overflow.
   */
  public long quorumStake() {
    long total = totalStake();
    long ceilThird = total / 3 + (total % 3 == 0 ? 0 : 1);
    return total - ceilThird + 1;
  }

  /** The most stake that may be faulty while quorums stay safe: {@code T - quorum}. */
  public long maxFaultyStake() {
    return totalStake() - quorumStake();
  }

  public Optional<Validator> validator(String id) {
    return committee.stream().filter(v -> v.id().equals(id)).findFirst();
  }

  /** SHA-256 of the canonical JSON form: nodes compare it to be sure they share a genesis. */
  public byte[] digest() {
    return Sha256.digest(
        ConfigFiles.render(Path.of("genesis.json"), toTree()).getBytes(StandardCharsets.UTF_8));
  }

  public String digestHex() {
    return HexFormat.of().formatHex(digest());
  }

  /** Loads and validates a genesis file (YAML, or JSON when the name ends in .json). */
  public static Genesis load(Path path) throws ConfigException {
    return fromTree(ConfigFiles.readTree(path), path.toString());
  }

  /** Validates a parsed document; every problem names its field. */
  public static Genesis fromTree(JsonNode tree, String source) throws ConfigException {
    Problems problems = new Problems();
    Section root = Section.of(tree, "", problems);
    if (root == null) {
      problems.throwIfAny(source);
    }
    String format = root.text("format");
    if (format != null && !FORMAT.equals(format)) {
      problems.add("format", "'" + format + "' is not " + FORMAT);
    }
    long chainId = root.integer("chain_id", 1, MAX_CHAIN_ID);
    long genesisTimeNs = root.optionalInteger("genesis_time_ns", 0, Long.MAX_VALUE, 0);
    List<Validator> committee = readCommittee(root, problems);
    Section feeSection = root.child("fees");
    FeeSchedule fees = feeSection == null ? null : readFees(feeSection);
    List<String> admins = readAdmins(root, problems);
    List<Balance> balances = readBalances(root, problems);
    List<Account> accounts = readAccounts(root, balances, problems);
    root.finish();
    problems.throwIfAny(source);
    return new Genesis(chainId, genesisTimeNs, committee, fees, admins, balances, accounts);
  }

  private static List<Validator> readCommittee(Section root, Problems problems) {
    List<JsonNode> items = root.list("committee", true);
    if (items.isEmpty() && root.has("committee")) {
      problems.add("committee", "must hold at least one validator");
    }
    List<Validator> committee = new ArrayList<>();
    Map<String, Integer> ids = new HashMap<>();
    Map<String, Integer> keys = new HashMap<>();
    Map<HostPort, Integer> addresses = new HashMap<>();
    long total = 0;
    for (int i = 0; i < items.size(); i++) {
      String path = Problems.index("committee", i);
      Section v = Section.of(items.get(i), path, problems);
      if (v == null) {
        continue;
      }
      String id = v.text("id");
      if (id != null && !ID.matcher(id).matches()) {
        problems.add(v.pathOf("id"), "'" + id + "' must match " + ID.pattern());
      }
      String name = v.optionalText("name", id);
      String key = v.hex("public_key", KEY_BYTES);
      long stake = v.integer("stake", 1, Long.MAX_VALUE);
      List<Delegation> delegations = readDelegations(v, stake, problems);
      HostPort peer = v.hostPort("peer_address");
      HostPort client = v.hostPort("client_address");
      v.finish();
      duplicate(ids, id, i, v.pathOf("id"), "committee[%d].id", problems);
      duplicate(keys, key, i, v.pathOf("public_key"), "committee[%d].public_key", problems);
      duplicate(
          addresses, peer, i, v.pathOf("peer_address"), "committee[%d].peer_address", problems);
      if (peer != null && peer.equals(client)) {
        problems.add(v.pathOf("client_address"), client + " is the same as peer_address");
      }
      if (total > Long.MAX_VALUE - stake) {
        problems.add(v.pathOf("stake"), "total stake overflows 64 bits");
      } else {
        total += stake;
      }
      if (id != null && key != null && peer != null && client != null) {
        committee.add(new Validator(id, name, key, stake, delegations, peer, client));
      }
    }
    return committee;
  }

  private static List<Delegation> readDelegations(Section v, long stake, Problems problems) {
    List<JsonNode> items = v.list("delegations", true);
    List<Delegation> delegations = new ArrayList<>();
    if (items.isEmpty() && v.has("delegations")) {
      problems.add(
          v.pathOf("delegations"), "must hold at least one delegation (the operator's own stake)");
    }
    long sum = 0;
    boolean overflow = false;
    Set<String> delegators = new HashSet<>();
    for (int j = 0; j < items.size(); j++) {
      Section d = Section.of(items.get(j), Problems.index(v.pathOf("delegations"), j), problems);
      if (d == null) {
        continue;
      }
      String delegator = d.hex("delegator", KEY_BYTES);
      long amount = d.integer("amount", 1, Long.MAX_VALUE);
      d.finish();
      if (delegator != null && !delegators.add(delegator)) {
        problems.add(d.pathOf("delegator"), "delegates twice to this validator; merge the amounts");
      }
      if (sum > Long.MAX_VALUE - amount) {
        overflow = true;
      } else {
        sum += amount;
      }
      if (delegator != null && amount > 0) {
        delegations.add(new Delegation(delegator, amount));
      }
    }
    if (overflow) {
      problems.add(v.pathOf("delegations"), "amounts overflow 64 bits");
    } else if (!items.isEmpty() && delegations.size() == items.size() && sum != stake) {
      problems.add(v.pathOf("delegations"), "amounts sum to " + sum + " but stake is " + stake);
    }
    return delegations;
  }

  private static List<String> readAdmins(Section root, Problems problems) {
    List<JsonNode> items = root.list("admins", true);
    if (items.isEmpty() && root.has("admins")) {
      problems.add(
          "admins", "must name at least one admin account, or nobody can ever change permissions");
    }
    List<String> admins = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String path = Problems.index("admins", i);
      JsonNode item = items.get(i);
      if (!item.isTextual()) {
        problems.add(path, "must be a public key (64 hex), found " + Section.describe(item));
        continue;
      }
      String key = Section.checkHex(path, item.asText().strip(), KEY_BYTES, problems);
      if (key != null) {
        if (admins.contains(key)) {
          problems.add(path, "is listed twice");
        } else {
          admins.add(key);
        }
      }
    }
    return admins;
  }

  private static List<Balance> readBalances(Section root, Problems problems) {
    List<JsonNode> items = root.list("initial_balances", false);
    List<Balance> balances = new ArrayList<>();
    Map<String, Integer> accounts = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Section b = Section.of(items.get(i), Problems.index("initial_balances", i), problems);
      if (b == null) {
        continue;
      }
      String account = b.hex("account", KEY_BYTES);
      long amount = b.integer("amount", 0, Long.MAX_VALUE);
      b.finish();
      duplicate(
          accounts, account, i, b.pathOf("account"), "initial_balances[%d].account", problems);
      if (account != null) {
        balances.add(new Balance(account, amount));
      }
    }
    return balances;
  }

  private static List<Account> readAccounts(
      Section root, List<Balance> balances, Problems problems) {
    List<JsonNode> items = root.list("accounts", false);
    List<Account> accounts = new ArrayList<>();
    Map<String, Integer> inBalances = new HashMap<>();
    for (int j = 0; j < balances.size(); j++) {
      inBalances.put(balances.get(j).account(), j);
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Section a = Section.of(items.get(i), Problems.index("accounts", i), problems);
      if (a == null) {
        continue;
      }
      String account = a.hex("account", KEY_BYTES);
      List<String> roles = readRoles(a, problems);
      long balance = a.optionalInteger("balance", 0, Long.MAX_VALUE, 0);
      a.finish();
      duplicate(seen, account, i, a.pathOf("account"), "accounts[%d].account", problems);
      Integer balanceIndex = account == null ? null : inBalances.get(account);
      if (balanceIndex != null) {
        problems.add(
            a.pathOf("account"),
            account
                + " also has initial_balances["
                + balanceIndex
                + "]; state its balance once, here");
      }
      if (account != null && roles != null) {
        accounts.add(new Account(account, roles, balance));
      }
    }
    return accounts;
  }

  /**
   * The {@code roles} of one account: a list of known role names without repeats (may be empty).
   */
  private static List<String> readRoles(Section a, Problems problems) {
    if (!a.has("roles")) {
      a.raw("roles");
      problems.add(
          a.pathOf("roles"),
          "is missing (expected a list of " + String.join(", ", Account.ROLE_NAMES) + ")");
      return null;
    }
    List<JsonNode> items = a.list("roles", true);
    if (!a.raw("roles").isArray()) {
      return null;
    }
    List<String> roles = new ArrayList<>();
    boolean ok = true;
    for (int k = 0; k < items.size(); k++) {
      String path = Problems.index(a.pathOf("roles"), k);
      JsonNode item = items.get(k);
      String name = item.isTextual() ? item.asText().strip() : null;
      if (name == null || !Account.ROLE_NAMES.contains(name)) {
        problems.add(
            path,
            (name == null ? Section.describe(item) : "'" + name + "'")
                + " is not a role (known: "
                + String.join(", ", Account.ROLE_NAMES)
                + ")");
        ok = false;
      } else if (roles.contains(name)) {
        problems.add(path, "'" + name + "' is listed twice");
        ok = false;
      } else {
        roles.add(name);
      }
    }
    return ok ? roles : null;
  }

  private static <K> void duplicate(
      Map<K, Integer> seen, K key, int index, String path, String firstPattern, Problems problems) {
    if (key == null) {
      return;
    }
    Integer first = seen.putIfAbsent(key, index);
    if (first != null) {
      problems.add(path, key + " is already used by " + String.format(firstPattern, first));
    }
  }

  /**
   * The document form, fields in a fixed order (also the canonical form hashed by {@link
   * #digest()}).
   */
  public ObjectNode toTree() {
    ObjectNode root = ConfigFiles.json().createObjectNode();
    root.put("format", FORMAT);
    root.put("chain_id", chainId);
    root.put("genesis_time_ns", genesisTimeNs);
    ArrayNode list = root.putArray("committee");
    for (Validator v : committee) {
      ObjectNode node = list.addObject();
      node.put("id", v.id());
      node.put("name", v.name());
      node.put("public_key", v.publicKey());
      node.put("stake", v.stake());
      ArrayNode delegations = node.putArray("delegations");
      for (Delegation d : v.delegations()) {
        delegations.addObject().put("delegator", d.delegator()).put("amount", d.amount());
      }
      node.put("peer_address", v.peerAddress().toString());
      node.put("client_address", v.clientAddress().toString());
    }
    writeFees(fees, root.putObject("fees"));
    ArrayNode adminList = root.putArray("admins");
    admins.forEach(adminList::add);
    ArrayNode balances = root.putArray("initial_balances");
    for (Balance b : initialBalances) {
      balances.addObject().put("account", b.account()).put("amount", b.amountMicros());
    }
    if (!accounts
        .isEmpty()) { // absent when empty, so genesis files without accounts keep their digest
      ArrayNode accountList = root.putArray("accounts");
      for (Account a : accounts) {
        ObjectNode node = accountList.addObject();
        node.put("account", a.account());
        ArrayNode roles = node.putArray("roles");
        a.roles().forEach(roles::add);
        node.put("balance", a.balanceMicros());
      }
    }
    return root;
  }

  /**
   * Validates this genesis by the same rules as loading (a genesis built in code gets no
   * exemption), then writes it to a new file; refuses to overwrite.
   */
  public void write(Path path) throws IOException {
    ObjectNode tree = toTree();
    fromTree(tree, path.toString());
    ConfigFiles.writeNew(path, ConfigFiles.render(path, tree));
  }

  /**
   * The committee that the genesis validators form (epoch 0): the one committee the node's network,
   * consensus, workers and execution run with, and the one {@code /v1/committee} publishes.
   */
  public Committee toCommittee() {
    List<Committee.Validator> validators = new ArrayList<>();
    for (int i = 0; i < committee.size(); i++) {
      Validator v = committee.get(i);
      validators.add(
          new Committee.Validator(
              i,
              v.id(),
              v.publicKeyBytes(),
              v.stake(),
              v.delegations(),
              v.peerAddress().host(),
              v.peerAddress().port(),
              v.clientAddress().port()));
    }
    return new Committee((int) chainId, 0, validators);
  }

  private static FeeSchedule readFees(Section section) {
    long max = FeeSchedule.MAX_PRICE;
    FeeSchedule fees =
        new FeeSchedule(
            section.integer("base_fee_micros", 0, max),
            section.integer("per_byte_micros", 0, max),
            section.integer("per_input_token_micros", 0, max),
            section.integer("per_output_token_micros", 0, max),
            section.integer("per_compute_ms_micros", 0, max),
            section.integer("per_gpu_ms_micros", 0, max));
    section.finish();
    return fees;
  }

  private static void writeFees(FeeSchedule fees, ObjectNode node) {
    node.put("base_fee_micros", fees.baseFee());
    node.put("per_byte_micros", fees.perByte());
    node.put("per_input_token_micros", fees.perInputToken());
    node.put("per_output_token_micros", fees.perOutputToken());
    node.put("per_compute_ms_micros", fees.perComputeMs());
    node.put("per_gpu_ms_micros", fees.perGpuMs());
  }
}
