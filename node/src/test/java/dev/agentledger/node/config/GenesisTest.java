package dev.agentledger.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.committee.Committee.Delegation;
import dev.agentledger.node.execution.core.FeeSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenesisTest {
  static final String K1 = "11".repeat(32);
  static final String K2 = "22".repeat(32);
  static final String K3 = "33".repeat(32);
  static final String K4 = "44".repeat(32);
  static final String ADMIN = "aa".repeat(32);

  /** A valid genesis of four validators; tests replace one fragment to break one rule. */
  static String valid() {
    StringBuilder yaml = new StringBuilder();
    yaml.append("format: agentledger-genesis/v1\nchain_id: 7\ncommittee:\n");
    String[] keys = {K1, K2, K3, K4};
    for (int i = 0; i < 4; i++) {
      yaml.append("  - id: v")
          .append(i)
          .append('\n')
          .append("    name: validator-")
          .append(i)
          .append('\n')
          .append("    public_key: ")
          .append(keys[i])
          .append('\n')
          .append("    stake: 100\n")
          .append("    delegations:\n")
          .append("      - {delegator: ")
          .append(keys[i])
          .append(", amount: 60}\n")
          .append("      - {delegator: ")
          .append(ADMIN)
          .append(", amount: 40}\n")
          .append("    peer_address: 10.0.0.")
          .append(i + 1)
          .append(":7100\n")
          .append("    client_address: 10.0.0.")
          .append(i + 1)
          .append(":7200\n");
    }
    yaml.append("fees: {base_fee_micros: 1000, per_byte_micros: 1, per_input_token_micros: 2,")
        .append(" per_output_token_micros: 8, per_compute_ms_micros: 1, per_gpu_ms_micros: 10}\n")
        .append("admins: [")
        .append(ADMIN)
        .append("]\n")
        .append("initial_balances:\n  - {account: ")
        .append(ADMIN)
        .append(", amount: 5000}\n");
    return yaml.toString();
  }

  static Genesis parse(String yaml) throws ConfigException {
    return Genesis.fromTree(
        ConfigFiles.parse("genesis.yaml", yaml.getBytes(), false), "genesis.yaml");
  }

  static List<String> problems(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected the genesis to be refused:\n" + yaml);
  }

  @Test
  void loadsAValidGenesis() throws Exception {
    Genesis genesis = parse(valid());
    assertThat(genesis.chainId()).isEqualTo(7);
    assertThat(genesis.committee()).hasSize(4);
    Validator v2 = genesis.validator("v2").orElseThrow();
    assertThat(v2.publicKey()).isEqualTo(K3);
    assertThat(v2.peerAddress()).isEqualTo(new HostPort("10.0.0.3", 7100));
    assertThat(v2.delegations()).containsExactly(new Delegation(K3, 60), new Delegation(ADMIN, 40));
    assertThat(genesis.fees()).isEqualTo(new FeeSchedule(1000, 1, 2, 8, 1, 10));
    assertThat(genesis.admins()).containsExactly(ADMIN);
    assertThat(genesis.initialBalances()).containsExactly(new Balance(ADMIN, 5000));
    assertThat(genesis.totalStake()).isEqualTo(400);
    // floor(2*400/3)+1 = 267: any 3 of the 4 equal validators (2f+1 with f=1), never 2.
    assertThat(genesis.quorumStake()).isEqualTo(267);
    assertThat(genesis.maxFaultyStake()).isEqualTo(133);
  }

  @Test
  void quorumIsMoreThanTwoThirds() throws Exception {
    for (long total : new long[] {1, 2, 3, 4, 5, 6, 7, 100, 101, 102, Long.MAX_VALUE}) {
      Genesis g =
          new Genesis(
              1,
              0,
              List.of(
                  new Validator(
                      "v0",
                      "v0",
                      K1,
                      total,
                      List.of(new Delegation(K1, total)),
                      new HostPort("h", 1),
                      new HostPort("h", 2))),
              FeeSchedule.defaults(),
              List.of(ADMIN),
              List.of());
      long quorum = g.quorumStake();
      // quorum*3 > 2*total and (quorum-1)*3 <= 2*total, checked in 128-bit arithmetic
      assertThat(
              new java.math.BigInteger(Long.toString(quorum))
                  .multiply(java.math.BigInteger.valueOf(3)))
          .isGreaterThan(java.math.BigInteger.valueOf(total).shiftLeft(1));
      assertThat(java.math.BigInteger.valueOf(quorum - 1).multiply(java.math.BigInteger.valueOf(3)))
          .isLessThanOrEqualTo(java.math.BigInteger.valueOf(total).shiftLeft(1));
    }
  }

  @Test
  void writeThenLoadRoundTripsAndKeepsTheDigest(@TempDir Path dir) throws Exception {
    Genesis genesis = parse(valid());
    Path yaml = dir.resolve("genesis.yaml");
    Path json = dir.resolve("genesis.json");
    genesis.write(yaml);
    genesis.write(json);
    assertThat(Genesis.load(yaml)).isEqualTo(genesis);
    assertThat(Genesis.load(json)).isEqualTo(genesis);
    assertThat(Genesis.load(yaml).digestHex()).isEqualTo(genesis.digestHex()).hasSize(64);
    assertThatThrownBy(() -> genesis.write(yaml)).hasMessageContaining("refusing to overwrite");
  }

  @Test
  void digestChangesWithAnyField() throws Exception {
    String base = parse(valid()).digestHex();
    assertThat(parse(valid().replace("chain_id: 7", "chain_id: 8")).digestHex()).isNotEqualTo(base);
    assertThat(parse(valid().replace("per_gpu_ms_micros: 10", "per_gpu_ms_micros: 11")).digestHex())
        .isNotEqualTo(base);
  }

  @Test
  void namesTheFieldOfAnOutOfRangePort() {
    assertThat(problems(valid().replace("10.0.0.3:7100", "10.0.0.3:70000")))
        .containsExactly("committee[2].peer_address: 70000 is not a port (1..65535)");
  }

  @Test
  void refusesChainIdOutsideU32() {
    assertThat(problems(valid().replace("chain_id: 7", "chain_id: 4294967296")))
        .containsExactly("chain_id: 4294967296 is out of range (1..4294967295)");
    assertThat(problems(valid().replace("chain_id: 7", "chain_id: seven")))
        .containsExactly("chain_id: 'seven' is not an integer");
  }

  @Test
  void refusesDelegationsThatDoNotSumToTheStake() {
    String yaml = valid().replaceFirst("amount: 40", "amount: 41");
    assertThat(problems(yaml))
        .containsExactly("committee[0].delegations: amounts sum to 101 but stake is 100");
  }

  @Test
  void refusesBadPublicKeys() {
    assertThat(problems(valid().replaceFirst("public_key: " + K2, "public_key: 1234")))
        .containsExactly("committee[1].public_key: must be 64 hex digits, got 4");
    assertThat(
            problems(valid().replaceFirst("public_key: " + K2, "public_key: " + "zz".repeat(32))))
        .containsExactly("committee[1].public_key: '" + "zz".repeat(32) + "' is not hex");
  }

  @Test
  void refusesDuplicateIdsKeysAndAddresses() {
    assertThat(problems(valid().replace("id: v3", "id: v1")))
        .containsExactly("committee[3].id: v1 is already used by committee[1].id");
    assertThat(problems(valid().replace("public_key: " + K4, "public_key: " + K1)))
        .containsExactly(
            "committee[3].public_key: " + K1 + " is already used by committee[0].public_key");
    assertThat(problems(valid().replace("10.0.0.4:7100", "10.0.0.1:7100")))
        .containsExactly(
            "committee[3].peer_address: 10.0.0.1:7100 is already used by committee[0].peer_address");
  }

  @Test
  void refusesBadIdsAndZeroStake() {
    assertThat(problems(valid().replace("id: v3", "id: V 3")))
        .containsExactly("committee[3].id: 'V 3' must match [a-z0-9][a-z0-9_-]{0,31}");
    assertThat(problems(valid().replaceFirst("stake: 100", "stake: 0")))
        .contains("committee[0].stake: 0 is out of range (1..9223372036854775807)");
  }

  @Test
  void refusesMissingSectionsAndEmptyLists() {
    assertThat(problems(valid().replaceAll("(?s)fees:.*?\\}\n", "")))
        .containsExactly("fees: is missing (expected a mapping)");
    assertThat(problems(valid().replace("admins: [" + ADMIN + "]", "admins: []")))
        .containsExactly(
            "admins: must name at least one admin account, or nobody can ever change permissions");
    assertThat(
            problems(
                "format: agentledger-genesis/v1\nchain_id: 1\ncommittee: []\nfees: {base_fee_micros: 0, per_byte_micros: 0,"
                    + " per_input_token_micros: 0, per_output_token_micros: 0, per_compute_ms_micros: 0, per_gpu_ms_micros: 0}\nadmins: ["
                    + ADMIN
                    + "]\n"))
        .containsExactly("committee: must hold at least one validator");
  }

  @Test
  void refusesNegativePricesAndMissingPrices() {
    assertThat(problems(valid().replace("per_byte_micros: 1,", "per_byte_micros: -1,")))
        .containsExactly("fees.per_byte_micros: -1 is out of range (0..1099511627776)");
    assertThat(problems(valid().replace(" per_gpu_ms_micros: 10", "")))
        .containsExactly("fees.per_gpu_ms_micros: is missing");
  }

  @Test
  void refusesUnknownFieldsSoTyposAreNotIgnored() {
    assertThat(problems(valid().replace("chain_id: 7", "chain_id: 7\nchain_idd: 8")))
        .singleElement()
        .asString()
        .startsWith("chain_idd: unknown field (known: format, chain_id");
    assertThat(problems(valid().replaceFirst("    stake: 100", "    stake: 100\n    stak: 100")))
        .singleElement()
        .asString()
        .startsWith("committee[0].stak: unknown field");
  }

  @Test
  void refusesDuplicateBalancesAndAdmins() {
    assertThat(problems(valid() + "  - {account: " + ADMIN + ", amount: 1}\n"))
        .containsExactly(
            "initial_balances[1].account: "
                + ADMIN
                + " is already used by initial_balances[0].account");
    assertThat(
            problems(
                valid()
                    .replace(
                        "admins: [" + ADMIN + "]",
                        "admins: [" + ADMIN + ", " + ADMIN.toUpperCase() + "]")))
        .containsExactly("admins[1]: is listed twice");
  }

  @Test
  void refusesWrongFormatTag() {
    assertThat(problems(valid().replace("agentledger-genesis/v1", "agentledger-genesis/v9")))
        .containsExactly("format: 'agentledger-genesis/v9' is not agentledger-genesis/v1");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    String yaml =
        valid()
            .replace("chain_id: 7", "chain_id: 0")
            .replace("10.0.0.2:7200", "10.0.0.2")
            .replace("per_byte_micros: 1,", "per_byte_micros: x,");
    assertThat(problems(yaml))
        .containsExactly(
            "chain_id: 0 is out of range (1..4294967295)",
            "committee[1].client_address: '10.0.0.2' has no port, expected host:port",
            "fees.per_byte_micros: 'x' is not an integer");
  }

  @Test
  void reportsSyntaxErrorsWithTheirLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("genesis.yaml");
    Files.writeString(file, "chain_id: 7\ncommittee: [\n");
    assertThatThrownBy(() -> Genesis.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": not valid YAML at line");
    assertThatThrownBy(() -> Genesis.load(dir.resolve("missing.yaml")))
        .hasMessage(dir.resolve("missing.yaml") + ": file does not exist");
    Files.writeString(dir.resolve("list.yaml"), "- 1\n- 2\n");
    assertThatThrownBy(() -> Genesis.load(dir.resolve("list.yaml")))
        .hasMessage(dir.resolve("list.yaml") + ": must be a mapping, found a list");
  }

  @Test
  void theGenesisFeesAreTheExecutorsScheduleAndOverflowIsReported() {
    FeeSchedule fees = FeeSchedule.defaults();
    assertThat(fees).isEqualTo(new FeeSchedule(1000, 1, 2, 8, 1, 10));
    assertThat(fees.runFee(300, 100, 50, 20, 0)).isEqualTo(1000 + 300 + 200 + 400 + 20);
    assertThat(fees.runFee(Long.MAX_VALUE, 0, 0, 0, 0)).isEqualTo(FeeSchedule.OVERFLOW);
    assertThat(fees.runFee(0, Long.MAX_VALUE / 2 + 1, 0, 0, 0)).isEqualTo(FeeSchedule.OVERFLOW);
  }
}
