package dev.agentledger.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.node.execution.core.ExecutionGenesis;
import dev.agentledger.node.execution.core.FeeSchedule;
import dev.agentledger.node.execution.core.GenesisAccount;
import dev.agentledger.node.execution.core.Roles;
import dev.agentledger.sig.Ed25519KeyPair;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optional {@code accounts:} list of a genesis, its mapping onto execution, and the load
 * agents.
 */
class GenesisAccountsTest {
  static final String AGENT = "bb".repeat(32);
  static final String OPERATOR = "cc".repeat(32);

  static String withAccounts(String accounts) {
    return GenesisTest.valid() + "accounts:\n" + accounts;
  }

  @Test
  void accountsRoundTripThroughTheFile(@TempDir Path dir) throws Exception {
    Genesis genesis =
        GenesisTest.parse(
            withAccounts(
                "  - {account: "
                    + AGENT
                    + ", roles: [agent], balance: 77}\n"
                    + "  - {account: "
                    + OPERATOR.toUpperCase()
                    + ", roles: [operator, auditor]}\n"));
    assertThat(genesis.accounts())
        .containsExactly(
            new Account(AGENT, List.of("agent"), 77),
            new Account(OPERATOR, List.of("operator", "auditor"), 0));
    Path file = dir.resolve("genesis.yaml");
    genesis.write(file);
    Genesis again = Genesis.load(file);
    assertThat(again).isEqualTo(genesis);
    assertThat(again.digestHex()).isEqualTo(genesis.digestHex());
  }

  @Test
  void aGenesisWithoutAccountsKeepsItsCanonicalForm() throws Exception {
    Genesis genesis = GenesisTest.parse(GenesisTest.valid());
    assertThat(genesis.accounts()).isEmpty();
    assertThat(genesis.toTree().has("accounts")).isFalse();
  }

  @Test
  void refusesAnUnknownRoleNamingTheField() {
    assertThat(
            GenesisTest.problems(
                withAccounts("  - {account: " + AGENT + ", roles: [agent, root]}\n")))
        .containsExactly(
            "accounts[0].roles[1]: 'root' is not a role (known: agent, operator, auditor, admin)");
  }

  @Test
  void refusesARepeatedRoleAndMissingRoles() {
    assertThat(
            GenesisTest.problems(
                withAccounts("  - {account: " + AGENT + ", roles: [agent, agent]}\n")))
        .containsExactly("accounts[0].roles[1]: 'agent' is listed twice");
    assertThat(GenesisTest.problems(withAccounts("  - {account: " + AGENT + "}\n")))
        .singleElement()
        .asString()
        .startsWith("accounts[0].roles: is missing");
  }

  @Test
  void refusesADuplicateAccountNamingBothEntries() {
    assertThat(
            GenesisTest.problems(
                withAccounts(
                    "  - {account: "
                        + AGENT
                        + ", roles: [agent]}\n  - {account: "
                        + AGENT
                        + ", roles: [auditor]}\n")))
        .containsExactly(
            "accounts[1].account: " + AGENT + " is already used by accounts[0].account");
  }

  @Test
  void refusesAnAccountThatAlsoHasAnInitialBalance() {
    assertThat(
            GenesisTest.problems(
                withAccounts(
                    "  - {account: " + GenesisTest.ADMIN + ", roles: [agent], balance: 1}\n")))
        .containsExactly(
            "accounts[0].account: "
                + GenesisTest.ADMIN
                + " also has initial_balances[0]; state its balance once, here");
  }

  @Test
  void refusesBadHexAndBadBalanceNamingTheField() {
    assertThat(
            GenesisTest.problems(
                withAccounts("  - {account: " + "zz".repeat(32) + ", roles: [agent]}\n")))
        .containsExactly("accounts[0].account: '" + "zz".repeat(32) + "' is not hex");
    assertThat(GenesisTest.problems(withAccounts("  - {account: abcd, roles: [agent]}\n")))
        .containsExactly("accounts[0].account: must be 64 hex digits, got 4");
    assertThat(
            GenesisTest.problems(
                withAccounts("  - {account: " + AGENT + ", roles: [agent], balance: -5}\n")))
        .singleElement()
        .asString()
        .startsWith("accounts[0].balance: -5 is out of range");
    assertThat(
            GenesisTest.problems(
                withAccounts("  - {account: " + AGENT + ", roles: [agent], stake: 5}\n")))
        .singleElement()
        .asString()
        .startsWith("accounts[0].stake: unknown field");
  }

  @Test
  void mappingGivesAdminsBalancesAccountsAndFees() throws Exception {
    Genesis genesis =
        GenesisTest.parse(
            withAccounts(
                "  - {account: "
                    + AGENT
                    + ", roles: [agent], balance: 77}\n"
                    + "  - {account: "
                    + OPERATOR
                    + ", roles: [operator, auditor], balance: 5}\n"));
    ExecutionGenesis execution = ExecutionGenesisMapping.fromGenesis(genesis);
    assertThat(execution.chainId()).isEqualTo(7);
    assertThat(execution.fees()).isEqualTo(new FeeSchedule(1000, 1, 2, 8, 1, 10));
    Map<String, GenesisAccount> byKey =
        execution.accounts().stream()
            .collect(
                Collectors.toMap(
                    a -> HexFormat.of().formatHex(a.publicKey()), Function.identity()));
    assertThat(byKey).hasSize(3);
    assertThat(byKey.get(GenesisTest.ADMIN).roles()).isEqualTo(Roles.ADMIN);
    assertThat(byKey.get(GenesisTest.ADMIN).balance()).isEqualTo(5000);
    assertThat(byKey.get(AGENT).roles()).isEqualTo(Roles.AGENT);
    assertThat(byKey.get(AGENT).balance()).isEqualTo(77);
    assertThat(byKey.get(OPERATOR).roles()).isEqualTo(Roles.OPERATOR | Roles.AUDITOR);
    assertThat(execution.supply()).isEqualTo(5000 + 77 + 5);
  }

  @Test
  void anAdminListedAsAnAccountHoldsBothRoles() throws Exception {
    String yaml =
        GenesisTest.valid()
                .replace(
                    "initial_balances:\n  - {account: " + GenesisTest.ADMIN + ", amount: 5000}\n",
                    "")
            + "accounts:\n  - {account: "
            + GenesisTest.ADMIN
            + ", roles: [agent], balance: 9}\n";
    ExecutionGenesis execution = ExecutionGenesisMapping.fromGenesis(GenesisTest.parse(yaml));
    assertThat(execution.accounts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.roles()).isEqualTo(Roles.ADMIN | Roles.AGENT);
              assertThat(a.balance()).isEqualTo(9);
            });
  }

  @Test
  void loadAgentKeysFollowTheDocumentedDerivation(@TempDir Path dir) throws Exception {
    byte[] master = new byte[32];
    for (int i = 0; i < 32; i++) {
      master[i] = (byte) (i * 7 + 1);
    }
    LoadAgents agents = new LoadAgents(master, 3);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update("agentledger/load-agent/v1".getBytes());
    sha.update(master);
    sha.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(2).array());
    byte[] expected = sha.digest();
    assertThat(agents.seed(2)).isEqualTo(expected);
    assertThat(agents.publicKeyHex(2))
        .isEqualTo(HexFormat.of().formatHex(Ed25519KeyPair.fromSeed(expected).publicKey()));
    assertThat(agents.publicKeyHex(0)).isNotEqualTo(agents.publicKeyHex(1));
    assertThatThrownBy(() -> agents.seed(3)).isInstanceOf(IndexOutOfBoundsException.class);

    Path file = dir.resolve(LoadAgents.FILE_NAME);
    agents.write(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    LoadAgents read = LoadAgents.read(file);
    assertThat(read.count()).isEqualTo(3);
    assertThat(read.publicKeyHex(1)).isEqualTo(agents.publicKeyHex(1));
    assertThatThrownBy(() -> agents.write(file)).hasMessageContaining("refusing to overwrite");
    Files.writeString(
        dir.resolve("bad.seed"),
        "{\"format\":\"agentledger-load-agents/v1\",\"count\":3,\"master_seed\":\"abc\"}");
    assertThatThrownBy(() -> LoadAgents.read(dir.resolve("bad.seed")))
        .hasMessageContaining("master_seed");
  }
}
