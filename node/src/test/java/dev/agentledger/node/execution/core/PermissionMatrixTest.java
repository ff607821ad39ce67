package dev.agentledger.node.execution.core;

import static dev.agentledger.node.execution.LedgerFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.execution.state.SparseMerkleState;
import dev.agentledger.node.tx.AccountOpBuilder;
import dev.agentledger.sig.Ed25519KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every role a signer can hold against every transaction it can send, with the code execution must
 * record. The signer S holds exactly the role under test and a balance; O is an operator that
 * authorised S, Q an operator that did not, P a funded plain agent (not an operator), T a target.
 */
class PermissionMatrixTest {
  private static final Ed25519KeyPair S = key(40);
  private static final Ed25519KeyPair O = key(41);
  private static final Ed25519KeyPair Q = key(42);
  private static final Ed25519KeyPair P = key(43);
  private static final Ed25519KeyPair T = key(44);

  private static final int[] ROLE_SETS = {
    0, Roles.AGENT, Roles.OPERATOR, Roles.AUDITOR, Roles.ADMIN
  };

  private record Action(
      String name, Function<Long, byte[]> record, Function<Integer, ExecutionCode> expected) {}

  private static ExecutionCode ifRole(int roles, int role, ExecutionCode otherwise) {
    return Roles.has(roles, role) ? ExecutionCode.OK : otherwise;
  }

  private static List<Action> actions() {
    return List.of(
        new Action(
            "run, self-paid",
            n -> run(n).sign(S),
            r -> ifRole(r, Roles.AGENT, ExecutionCode.NOT_AN_AGENT)),
        new Action(
            "run, paid by an operator that authorised it",
            n -> run(n).payer(O.publicKey()).sign(S),
            r -> ifRole(r, Roles.AGENT, ExecutionCode.NOT_AN_AGENT)),
        new Action(
            "run, paid by an operator that did not authorise it",
            n -> run(n).payer(Q.publicKey()).sign(S),
            r ->
                Roles.has(r, Roles.AGENT)
                    ? ExecutionCode.AGENT_NOT_AUTHORIZED
                    : ExecutionCode.NOT_AN_AGENT),
        new Action(
            "run, paid by a non-operator",
            n -> run(n).payer(P.publicKey()).sign(S),
            r ->
                Roles.has(r, Roles.AGENT)
                    ? ExecutionCode.PAYER_NOT_OPERATOR
                    : ExecutionCode.NOT_AN_AGENT),
        new Action(
            "permission: make T an agent",
            n -> op(AccountOpBuilder.permission(T.publicKey(), Roles.AGENT), n).sign(S),
            r -> ifRole(r, Roles.ADMIN, ExecutionCode.NOT_ADMIN)),
        new Action(
            "authorize T to bill to S",
            n -> op(AccountOpBuilder.authorize(T.publicKey(), true), n).sign(S),
            r -> ifRole(r, Roles.OPERATOR, ExecutionCode.NOT_OPERATOR)),
        new Action(
            "transfer to T",
            n -> op(AccountOpBuilder.transfer(T.publicKey(), 10), n).sign(S),
            r -> ExecutionCode.OK),
        new Action(
            "register T as an agent",
            n -> op(AccountOpBuilder.registerAgent(T.publicKey()), n).sign(S),
            r ->
                Roles.has(r, Roles.OPERATOR) || Roles.has(r, Roles.ADMIN)
                    ? ExecutionCode.OK
                    : ExecutionCode.NOT_REGISTRAR));
  }

  private static LedgerExecutor executorFor(int roles, SparseMerkleState state) {
    var genesis =
        new ExecutionGenesis(
            CHAIN,
            FEES,
            List.of(
                new GenesisAccount(ADMIN.publicKey(), Roles.ADMIN, 1_000_000),
                new GenesisAccount(S.publicKey(), roles, 1_000_000),
                new GenesisAccount(O.publicKey(), Roles.OPERATOR, 1_000_000),
                new GenesisAccount(Q.publicKey(), Roles.OPERATOR, 1_000_000),
                new GenesisAccount(P.publicKey(), Roles.AGENT, 1_000_000)));
    LedgerExecutor executor = new LedgerExecutor(genesis, state, true);
    var setup =
        executor.execute(
            commit(1, List.of(op(AccountOpBuilder.authorize(S.publicKey(), true), 0).sign(O))));
    assertThat(setup.receipts().get(0).code()).isEqualTo(ExecutionCode.OK);
    return executor;
  }

  @Test
  void everyRoleAgainstEveryAction() {
    SoftAssertions softly = new SoftAssertions();
    for (int roles : ROLE_SETS) {
      LedgerExecutor executor = executorFor(roles, new SparseMerkleState());
      long sequence = 1;
      long nonce = 0;
      for (Action action : actions()) {
        var result = executor.execute(commit(++sequence, List.of(action.record().apply(nonce++))));
        softly
            .assertThat(result.receipts().get(0).code())
            .as("roles %s: %s", Roles.names(roles), action.name())
            .isEqualTo(action.expected().apply(roles));
      }
    }
    softly.assertAll();
  }

  @Test
  void adminsChangeRolesAndTheChangeIsEnforced() {
    SparseMerkleState state = new SparseMerkleState();
    LedgerExecutor executor = executorFor(0, state);
    List<byte[]> records = new ArrayList<>();
    records.add(run(0).sign(S)); // not an agent yet
    records.add(
        op(AccountOpBuilder.permission(S.publicKey(), Roles.AGENT | Roles.AUDITOR), 0).sign(ADMIN));
    records.add(run(1).sign(S)); // now an agent
    records.add(op(AccountOpBuilder.permission(S.publicKey(), Roles.AUDITOR), 1).sign(ADMIN));
    records.add(run(2).sign(S)); // demoted
    records.add(op(AccountOpBuilder.permission(ADMIN.publicKey(), Roles.OPERATOR), 2).sign(ADMIN));
    records.add(op(AccountOpBuilder.permission(T.publicKey(), 16), 3).sign(ADMIN));
    records.add(op(AccountOpBuilder.authorize(S.publicKey(), false), 1).sign(O)); // revoke
    records.add(op(AccountOpBuilder.permission(S.publicKey(), Roles.AGENT), 4).sign(ADMIN));
    records.add(run(3).payer(O.publicKey()).sign(S)); // authorisation revoked
    var result = executor.execute(commit(2, records));
    assertThat(result.receipts())
        .extracting(Receipt::code)
        .containsExactly(
            ExecutionCode.NOT_AN_AGENT,
            ExecutionCode.OK,
            ExecutionCode.OK,
            ExecutionCode.OK,
            ExecutionCode.NOT_AN_AGENT,
            ExecutionCode.SELF_DEMOTION,
            ExecutionCode.UNKNOWN_ROLES,
            ExecutionCode.OK,
            ExecutionCode.OK,
            ExecutionCode.AGENT_NOT_AUTHORIZED);
    assertThat(result.events())
        .extracting(ExecutionEvent::type)
        .contains(
            ExecutionEvent.Type.PERMISSION_CHANGED, ExecutionEvent.Type.AUTHORIZATION_CHANGED);
    assertThat(AccountRecord.decode(state.get(StateKeys.account(S.publicKey()))).roles)
        .isEqualTo(Roles.AGENT);
    assertThat(state.get(StateKeys.authorization(O.publicKey(), S.publicKey()))).isNull();
  }

  @Test
  void registerAgentAddsTheAgentRoleAndAnOperatorAlsoAuthorisesIt() {
    SparseMerkleState state = new SparseMerkleState();
    LedgerExecutor executor = executorFor(0, state);
    List<byte[]> records = new ArrayList<>();
    records.add(run(0).sign(T)); // not registered yet
    records.add(op(AccountOpBuilder.registerAgent(T.publicKey()), 0).sign(Q)); // operator Q
    records.add(run(1).sign(T)); // self-paid: T has no balance
    records.add(run(2).payer(Q.publicKey()).sign(T)); // Q authorised T by registering it
    records.add(op(AccountOpBuilder.registerAgent(P.publicKey()), 0).sign(ADMIN)); // keeps roles
    records.add(op(AccountOpBuilder.registerAgent(S.publicKey()), 0).sign(P)); // P: agent only
    var result = executor.execute(commit(2, records));
    assertThat(result.receipts())
        .extracting(Receipt::code)
        .containsExactly(
            ExecutionCode.NOT_AN_AGENT,
            ExecutionCode.OK,
            ExecutionCode.INSUFFICIENT_BALANCE,
            ExecutionCode.OK,
            ExecutionCode.OK,
            ExecutionCode.NOT_REGISTRAR);
    assertThat(result.events().get(1).type()).isEqualTo(ExecutionEvent.Type.AGENT_REGISTERED);
    assertThat(result.events().get(1).amount()).isEqualTo(Roles.AGENT);
    assertThat(AccountRecord.decode(state.get(StateKeys.account(T.publicKey()))).roles)
        .isEqualTo(Roles.AGENT);
    assertThat(state.get(StateKeys.authorization(Q.publicKey(), T.publicKey()))).isNotNull();
    // an admin registers without authorising
    assertThat(state.get(StateKeys.authorization(ADMIN.publicKey(), P.publicKey()))).isNull();
    assertThat(AccountRecord.decode(state.get(StateKeys.account(S.publicKey()))).roles).isZero();
  }
}
