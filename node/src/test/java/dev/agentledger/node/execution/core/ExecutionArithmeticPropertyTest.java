package dev.agentledger.node.execution.core;

import static dev.agentledger.node.execution.LedgerFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.execution.state.SparseMerkleState;
import dev.agentledger.node.tx.AccountOpBuilder;
import dev.agentledger.node.tx.AccountOpDescriptor;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.RunOutcome;
import dev.agentledger.sig.Ed25519KeyPair;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random workloads against an independent model of the rules written with {@link BigInteger} (no
 * 64-bit arithmetic, so no overflow to get wrong): every receipt's code and fee, every balance,
 * every usage total per agent, payer, task and model, and the supply invariant must match exactly.
 */
class ExecutionArithmeticPropertyTest {
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final Ed25519KeyPair[] KEYS = {
    key(60), key(61), key(62), key(63), key(64), key(65)
  };
  private static final HexFormat HEX = HexFormat.of();

  /** The model: accounts, authorisations, usage and recorded runs, all in BigInteger. */
  private static final class Model {
    final Map<String, Integer> roles = new HashMap<>();
    final Map<String, Long> nonces = new HashMap<>();
    final Map<String, BigInteger> balances = new HashMap<>();
    final Set<String> authorized = new HashSet<>();
    final Map<String, BigInteger[]> usage = new HashMap<>();
    final Map<String, String> runAgent = new HashMap<>();
    final List<String> runs = new ArrayList<>();
    BigInteger fees = BigInteger.ZERO;
    final FeeSchedule schedule;

    Model(FeeSchedule schedule) {
      this.schedule = schedule;
    }

    BigInteger bal(String k) {
      return balances.getOrDefault(k, BigInteger.ZERO);
    }

    int role(String k) {
      return roles.getOrDefault(k, 0);
    }

    static BigInteger big(long v) {
      return BigInteger.valueOf(v);
    }

    BigInteger runFee(long in, long out, long c, long g) {
      return big(schedule.baseFee())
          .add(big(schedule.perByte()).multiply(big(AgentRunDescriptor.ENCODED_LENGTH)))
          .add(big(schedule.perInputToken()).multiply(big(in)))
          .add(big(schedule.perOutputToken()).multiply(big(out)))
          .add(big(schedule.perComputeMs()).multiply(big(c)))
          .add(big(schedule.perGpuMs()).multiply(big(g)));
    }

    BigInteger opFee() {
      return big(schedule.baseFee())
          .add(big(schedule.perByte()).multiply(big(AccountOpDescriptor.ENCODED_LENGTH)));
    }

    /** Fee checks; null when payable. */
    ExecutionCode payment(BigInteger fee, long maxFee, BigInteger balance) {
      if (fee.compareTo(LONG_MAX) > 0) {
        return ExecutionCode.FEE_OVERFLOW;
      }
      if (fee.compareTo(new BigInteger(Long.toUnsignedString(maxFee))) > 0) {
        return ExecutionCode.FEE_EXCEEDS_MAX_FEE;
      }
      return balance.compareTo(fee) < 0 ? ExecutionCode.INSUFFICIENT_BALANCE : null;
    }

    BigInteger[] usageOf(String scopeKey) {
      return usage.computeIfAbsent(
          scopeKey,
          k ->
              new BigInteger[] {
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO
              });
    }
  }

  private record Expected(ExecutionCode code, long fee) {}

  @Property(tries = 60)
  void randomWorkloadsMatchTheModelExactly(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 80) int count) {
    Random random = new Random(seed);
    FeeSchedule schedule =
        random.nextInt(4) == 0
            ? new FeeSchedule(
                random.nextLong(1L << 62),
                random.nextLong(1L << 40),
                random.nextLong(1L << 40),
                random.nextLong(1L << 40),
                random.nextLong(1L << 40),
                random.nextLong(1L << 40))
            : new FeeSchedule(
                random.nextInt(1000),
                random.nextInt(5),
                random.nextInt(5),
                random.nextInt(5),
                random.nextInt(5),
                random.nextInt(5));
    Model model = new Model(schedule);
    List<GenesisAccount> accounts = new ArrayList<>();
    for (int i = 0; i < KEYS.length; i++) {
      int roles = i == 0 ? Roles.ADMIN | Roles.OPERATOR : random.nextInt(Roles.ALL + 1);
      long balance = random.nextInt(3) == 0 ? 0 : random.nextLong(Long.MAX_VALUE / KEYS.length);
      accounts.add(new GenesisAccount(KEYS[i].publicKey(), roles, balance));
      String k = hex(KEYS[i].publicKey());
      model.roles.put(k, roles);
      model.balances.put(k, BigInteger.valueOf(balance));
    }
    ExecutionGenesis genesis = new ExecutionGenesis(CHAIN, schedule, accounts);
    BigInteger supply = BigInteger.valueOf(genesis.supply());
    SparseMerkleState state = new SparseMerkleState();
    LedgerExecutor executor = new LedgerExecutor(genesis, state, false);

    List<byte[]> records = new ArrayList<>();
    List<Expected> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Ed25519KeyPair signer = KEYS[random.nextInt(KEYS.length)];
      String s = hex(signer.publicKey());
      long nonce = model.nonces.getOrDefault(s, 0L) + (random.nextInt(12) == 0 ? 1 : 0);
      boolean nonceOk = nonce == model.nonces.getOrDefault(s, 0L);
      long maxFee =
          switch (random.nextInt(4)) {
            case 0 -> random.nextLong(2000);
            case 1 -> -1L;
            default -> Long.MAX_VALUE;
          };
      int type = random.nextInt(10);
      ExecutionCode code;
      BigInteger fee = BigInteger.ZERO;
      byte[] record;
      if (type < 6) {
        Ed25519KeyPair payerKey = random.nextBoolean() ? signer : KEYS[random.nextInt(KEYS.length)];
        String p = hex(payerKey.publicKey());
        long in = usageValue(random),
            out = usageValue(random),
            c = usageValue(random),
            g = usageValue(random);
        long peak = usageValue(random);
        int outcome = random.nextInt(4);
        byte[] task = task(random.nextInt(3));
        byte[] modelId = model(random.nextInt(3));
        String parent = null;
        byte[] parentBytes = new byte[32];
        if (!model.runs.isEmpty() && random.nextBoolean()) {
          parent = model.runs.get(random.nextInt(model.runs.size()));
          parentBytes = HEX.parseHex(parent);
        }
        record =
            run(nonce)
                .payer(payerKey.publicKey())
                .inputTokens(in)
                .outputTokens(out)
                .computeMs(c)
                .gpuMs(g)
                .peakMemoryBytes(peak)
                .outcome(RunOutcome.values()[outcome])
                .taskId(task)
                .model(modelId)
                .parentRun(parentBytes)
                .maxFee(maxFee)
                .sign(signer);
        String id =
            hex(
                new dev.agentledger.node.tx.AgentRunFlyweight()
                    .wrap(new org.agrona.concurrent.UnsafeBuffer(record), 0)
                    .transactionId());
        if (!nonceOk) {
          code = ExecutionCode.BAD_NONCE;
        } else if (!Roles.has(model.role(s), Roles.AGENT)) {
          code = ExecutionCode.NOT_AN_AGENT;
        } else if (!p.equals(s) && !Roles.has(model.role(p), Roles.OPERATOR)) {
          code = ExecutionCode.PAYER_NOT_OPERATOR;
        } else if (!p.equals(s) && !model.authorized.contains(p + s)) {
          code = ExecutionCode.AGENT_NOT_AUTHORIZED;
        } else if ((in | out | c | g | peak) < 0) {
          code = ExecutionCode.USAGE_OUT_OF_RANGE;
        } else if (parent != null && !s.equals(model.runAgent.get(parent))) {
          code = ExecutionCode.UNKNOWN_PARENT_RUN;
        } else {
          BigInteger runFee = model.runFee(in, out, c, g);
          code = model.payment(runFee, maxFee, model.bal(p));
          if (code == null) {
            String[] scopes = {"a" + s, "p" + p, "t" + hex(task), "m" + hex(modelId)};
            long[] adds = {1, in, out, c, g, 0, 0};
            boolean overflow = false;
            for (String scope : scopes) {
              BigInteger[] u = model.usageOf(scope);
              for (int f = 0; f < 5; f++) {
                overflow |= u[f].add(BigInteger.valueOf(adds[f])).compareTo(LONG_MAX) > 0;
              }
              overflow |= u[6].add(runFee).compareTo(LONG_MAX) > 0;
            }
            if (overflow) {
              code = ExecutionCode.USAGE_OVERFLOW;
            } else {
              code = ExecutionCode.OK;
              fee = runFee;
              for (String scope : scopes) {
                BigInteger[] u = model.usageOf(scope);
                for (int f = 0; f < 5; f++) {
                  u[f] = u[f].add(BigInteger.valueOf(adds[f]));
                }
                u[5] = u[5].max(BigInteger.valueOf(peak));
                u[6] = u[6].add(runFee);
                u[7 + outcome] = u[7 + outcome].add(BigInteger.ONE);
              }
              model.balances.put(p, model.bal(p).subtract(runFee));
              model.fees = model.fees.add(runFee);
              model.runs.add(id);
              model.runAgent.put(id, s);
            }
          }
        }
      } else {
        Ed25519KeyPair target = KEYS[random.nextInt(KEYS.length)];
        String t = hex(target.publicKey());
        BigInteger opFee = model.opFee();
        if (type == 6) {
          long roles = random.nextInt(20) == 0 ? 16 : random.nextInt(Roles.ALL + 1);
          record =
              op(AccountOpBuilder.permission(target.publicKey(), roles), nonce)
                  .maxFee(maxFee)
                  .sign(signer);
          code =
              !nonceOk
                  ? ExecutionCode.BAD_NONCE
                  : !Roles.has(model.role(s), Roles.ADMIN)
                      ? ExecutionCode.NOT_ADMIN
                      : roles > Roles.ALL
                          ? ExecutionCode.UNKNOWN_ROLES
                          : s.equals(t) && !Roles.has((int) roles, Roles.ADMIN)
                              ? ExecutionCode.SELF_DEMOTION
                              : model.payment(opFee, maxFee, model.bal(s));
          if (code == null) {
            model.roles.put(t, (int) roles);
          }
        } else if (type == 7) {
          boolean grant = random.nextInt(4) != 0;
          record =
              op(AccountOpBuilder.authorize(target.publicKey(), grant), nonce)
                  .maxFee(maxFee)
                  .sign(signer);
          code =
              !nonceOk
                  ? ExecutionCode.BAD_NONCE
                  : !Roles.has(model.role(s), Roles.OPERATOR)
                      ? ExecutionCode.NOT_OPERATOR
                      : model.payment(opFee, maxFee, model.bal(s));
          if (code == null) {
            if (grant) {
              model.authorized.add(s + t);
            } else {
              model.authorized.remove(s + t);
            }
          }
        } else {
          long amount =
              switch (random.nextInt(4)) {
                case 0 -> -1 - random.nextInt(10);
                case 1 -> model.bal(s).min(LONG_MAX).longValue();
                default -> random.nextInt(100_000);
              };
          record =
              op(AccountOpBuilder.transfer(target.publicKey(), amount), nonce)
                  .maxFee(maxFee)
                  .sign(signer);
          code =
              !nonceOk
                  ? ExecutionCode.BAD_NONCE
                  : amount < 0
                      ? ExecutionCode.AMOUNT_OUT_OF_RANGE
                      : opFee.compareTo(LONG_MAX) > 0
                          ? ExecutionCode.FEE_OVERFLOW
                          : opFee.compareTo(new BigInteger(Long.toUnsignedString(maxFee))) > 0
                              ? ExecutionCode.FEE_EXCEEDS_MAX_FEE
                              : model.bal(s).compareTo(opFee.add(BigInteger.valueOf(amount))) < 0
                                  ? ExecutionCode.INSUFFICIENT_BALANCE
                                  : null;
          if (code == null) {
            model.balances.put(
                s, model.bal(s).subtract(opFee).subtract(BigInteger.valueOf(amount)));
            model.balances.put(t, model.bal(t).add(BigInteger.valueOf(amount)));
          }
        }
        if (code == null) {
          code = ExecutionCode.OK;
          fee = opFee;
          if (type < 8) {
            model.balances.put(s, model.bal(s).subtract(opFee));
          }
          model.fees = model.fees.add(opFee);
        }
      }
      if (code != ExecutionCode.OK && code.consumesNonce()) {
        // The failure fee: base + per byte of the record, capped by max_fee and the balance.
        BigInteger size =
            BigInteger.valueOf(
                type < 6 ? AgentRunDescriptor.ENCODED_LENGTH : AccountOpDescriptor.ENCODED_LENGTH);
        BigInteger charge =
            Model.big(schedule.baseFee())
                .add(Model.big(schedule.perByte()).multiply(size))
                .min(new BigInteger(Long.toUnsignedString(maxFee)))
                .min(LONG_MAX)
                .min(model.bal(s));
        model.balances.put(s, model.bal(s).subtract(charge));
        model.fees = model.fees.add(charge);
        fee = charge;
      }
      if (code.consumesNonce()) {
        model.nonces.merge(s, 1L, Long::sum);
      }
      records.add(record);
      expected.add(new Expected(code, fee.longValueExact()));
    }

    // Execute in commits of random sizes.
    List<Receipt> receipts = new ArrayList<>();
    long sequence = 0;
    for (int from = 0; from < records.size(); ) {
      int to = Math.min(records.size(), from + 1 + random.nextInt(20));
      receipts.addAll(executor.execute(commit(++sequence, records.subList(from, to))).receipts());
      from = to;
    }

    for (int i = 0; i < expected.size(); i++) {
      assertThat(receipts.get(i).code()).as("transaction %d", i).isEqualTo(expected.get(i).code());
      assertThat(receipts.get(i).fee())
          .as("fee of transaction %d", i)
          .isEqualTo(expected.get(i).fee());
    }
    BigInteger balances = BigInteger.ZERO;
    for (Ed25519KeyPair key : KEYS) {
      AccountRecord account = AccountRecord.decode(state.get(StateKeys.account(key.publicKey())));
      String k = hex(key.publicKey());
      assertThat(BigInteger.valueOf(account.balance)).isEqualTo(model.bal(k));
      assertThat(account.nextNonce).isEqualTo(model.nonces.getOrDefault(k, 0L));
      assertThat(account.roles).isEqualTo(model.role(k));
      balances = balances.add(BigInteger.valueOf(account.balance));
    }
    LedgerTotals totals = LedgerTotals.decode(state.get(StateKeys.totals()));
    assertThat(BigInteger.valueOf(totals.feesCollected)).isEqualTo(model.fees);
    assertThat(balances.add(model.fees)).isEqualTo(supply);
    assertThat(totals.runsRecorded).isEqualTo(model.runs.size());
    for (Map.Entry<String, BigInteger[]> entry : model.usage.entrySet()) {
      String scopeKey = entry.getKey();
      int scope =
          switch (scopeKey.charAt(0)) {
            case 'a' -> StateKeys.SCOPE_AGENT;
            case 'p' -> StateKeys.SCOPE_PAYER;
            case 't' -> StateKeys.SCOPE_TASK;
            default -> StateKeys.SCOPE_MODEL;
          };
      UsageRecord u =
          UsageRecord.decode(
              state.get(StateKeys.usage(scope, HEX.parseHex(scopeKey.substring(1)))));
      BigInteger[] m = entry.getValue();
      long[] actual = {
        u.runs,
        u.inputTokens,
        u.outputTokens,
        u.computeMs,
        u.gpuMs,
        u.maxPeakMemoryBytes,
        u.feesPaid,
        u.outcomes[0],
        u.outcomes[1],
        u.outcomes[2],
        u.outcomes[3]
      };
      for (int f = 0; f < actual.length; f++) {
        assertThat(BigInteger.valueOf(actual[f])).as("%s field %d", scopeKey, f).isEqualTo(m[f]);
      }
    }
  }

  private static long usageValue(Random random) {
    return switch (random.nextInt(10)) {
      case 0 -> Long.MAX_VALUE - random.nextInt(3);
      case 1 -> Long.MAX_VALUE / 3 + random.nextInt(1000);
      case 2 -> -1 - random.nextInt(5);
      default -> random.nextInt(10_000);
    };
  }

  private static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }
}
