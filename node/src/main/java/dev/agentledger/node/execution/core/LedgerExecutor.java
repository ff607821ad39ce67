package dev.agentledger.node.execution.core;

import dev.agentledger.hash.Sha256;
import dev.agentledger.node.tx.AccountOpDescriptor;
import dev.agentledger.node.tx.AccountOpFlyweight;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunError;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.node.tx.RunKind;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Executes the ordered transaction stream against a {@link StateStore}: a pure, deterministic
 * function of (genesis, the sequence of {@link CommittedInput}s). Every validator that feeds the
 * same inputs reaches the same state roots.
 *
 * <p>Per transaction, in this order (the first failing check gives the receipt's code):
 *
 * <ol>
 *   <li>layout: the kind byte names a known layout and the length matches it, and the record passes
 *       field validation ({@link ExecutionCode#MALFORMED}); chain id ({@code WRONG_CHAIN});
 *       signature, when this executor verifies them ({@code BAD_SIGNATURE});
 *   <li>nonce: must equal the signer's next nonce ({@code BAD_NONCE}). Up to here nothing is
 *       written. From here on the nonce is consumed whatever the outcome, and a transaction that
 *       fails a later check pays the failure fee (below).
 *   <li>permissions (see {@link Roles}): a RUN needs the agent role; a payer other than the agent
 *       must be an operator that authorised the agent. PERMISSION needs admin, AUTHORIZE operator,
 *       REGISTER_AGENT operator or admin (it adds the agent role to the target; an operator signer
 *       also authorises the target to bill to it).
 *   <li>ranges (usage fields, transfer amount), the run-history parent;
 *   <li>the fee ({@link FeeSchedule}): overflow, above {@code max_fee} (compared unsigned), above
 *       the payer's balance: these are recorded as payment failures;
 *   <li>usage totals per agent, payer, task and model ({@code USAGE_OVERFLOW} if any would
 *       overflow); then everything is written at once.
 * </ol>
 *
 * <p><b>Failure fee.</b> A transaction that fails after the nonce check was ordered, stored and
 * executed like any other, so its signer pays for that, as gas is charged for failed transactions
 * elsewhere: {@link FeeSchedule#failureFee} of the record's size, capped by the record's {@code
 * max_fee} (unsigned) and by the signer's balance, so it never fails for lack of funds. The receipt
 * and the failure event carry the amount charged. Failures before the nonce check (malformed, wrong
 * chain, bad signature, bad nonce: nothing proves the signer sent this transaction now) are free.
 *
 * <p>Fees leave circulation into {@link LedgerTotals#feesCollected}; the sum of balances plus
 * collected fees always equals the genesis supply. Single-threaded; owns its scratch.
 *
 * <p>Allocation: {@link #executeInto} writes ids, receipts, events and roots into a reused {@link
 * CommitOutput} and reads and writes state through the store's buffer methods ({@link
 * StateStore#read}, {@link StateStore#write}), so a commit allocates nothing per transaction;
 * {@link #execute} adds the copy into objects. The per-commit RFC 6962 roots hash their wide levels
 * with the multi-buffer engine, which a node compiles at start-up ({@code JitWarmup}).
 *
 * <p>Hashing: the ids and state keys of a commit's RUN records depend on the records alone, so they
 * are derived for the whole commit before the first record executes ({@link RunKeys}), messages of
 * one length hashed together with the multi-buffer engine; account operations derive their few keys
 * as they run.
 */
public final class LedgerExecutor {
  private static final byte[] AUTHORIZED = {1};

  /**
   * Records whose state keys are hinted to the store together ({@link StateStore#prefetch}) before
   * the first of them executes: enough for many cache misses in flight, few enough that the lines
   * stay in the L1 and L2 caches until the records read them.
   */
  static final int PREFETCH_RECORDS = 16;

  private final ExecutionGenesis genesis;
  private final StateStore state;
  private final boolean verifySignatures;
  private final SignatureCheck signatureCheck;
  private byte[] verdicts = new byte[0];
  private int current;

  private final Sha256 hasher = new Sha256();
  private final RunKeys runKeys = new RunKeys(hasher);
  private final AgentRunFlyweight run = new AgentRunFlyweight();
  private final AccountOpFlyweight op = new AccountOpFlyweight();
  private final UnsafeBuffer view = new UnsafeBuffer(new byte[1]);
  private final byte[] totalsKey = StateKeys.totals();

  private final byte[] signer = new byte[32];
  private final byte[] other = new byte[32];
  private final byte[] parent = new byte[32];
  private final byte[] signerKey = new byte[32];
  private final byte[] otherKey = new byte[32];
  private final byte[] scratchKey = new byte[32];
  private final AccountRecord signerAccount = new AccountRecord();
  private final AccountRecord otherAccount = new AccountRecord();
  private final UsageRecord[] usage = {
    new UsageRecord(), new UsageRecord(), new UsageRecord(), new UsageRecord()
  };
  private final byte[][] usageKeys = new byte[4][32];
  private final LedgerTotals totals = new LedgerTotals();
  private final byte[] valueBuffer = new byte[128];

  private long sequence;
  private CommitOutput output;
  private CommitOutput ownOutput = new CommitOutput();
  private final byte[] id = new byte[32];
  private static final byte[] ZERO = new byte[32];

  /**
   * An executor over {@code state}; writes genesis into it when the state holds no totals yet.
   *
   * @param verifySignatures check every signature again (off only when every batch was verified by
   *     a quorum before ordering)
   */
  public LedgerExecutor(ExecutionGenesis genesis, StateStore state, boolean verifySignatures) {
    this(genesis, state, verifySignatures, null);
  }

  /**
   * An executor whose signature checks (when {@code verifySignatures}) go through {@code
   * signatureCheck} once per commit (a batch verifier); records it leaves {@link
   * SignatureCheck#UNCHECKED}, and every record when it is null, are verified one by one.
   */
  public LedgerExecutor(
      ExecutionGenesis genesis,
      StateStore state,
      boolean verifySignatures,
      SignatureCheck signatureCheck) {
    this.genesis = genesis;
    this.state = state;
    this.verifySignatures = verifySignatures;
    this.signatureCheck = verifySignatures ? signatureCheck : null;
    byte[] stored = state.get(totalsKey);
    if (stored == null) {
      applyGenesis();
    } else {
      totals.load(stored);
    }
  }

  private void applyGenesis() {
    AccountRecord account = new AccountRecord();
    for (GenesisAccount g : genesis.accounts()) {
      account.clear();
      account.roles = g.roles();
      account.balance = g.balance();
      state.put(StateKeys.account(g.publicKey()), account.encode());
    }
    totals.load(null);
    totals.supply = genesis.supply();
    state.put(totalsKey, totals.encode());
  }

  public ExecutionGenesis genesis() {
    return genesis;
  }

  /** The sequence of the last executed commit (0 before the first). */
  public long lastSequence() {
    return totals.lastCommitSequence;
  }

  /** The state root now. */
  public byte[] stateRoot() {
    return state.root();
  }

  /**
   * Executes one commit. {@code input.sequence()} must follow {@link #lastSequence()} by one;
   * anything else is a bug upstream and throws without changing state. Returns the result as
   * objects ({@link #executeInto} and {@link CommitOutput#toCommitExecution}).
   */
  public CommitExecution execute(CommittedInput input) {
    return executeInto(input, ownOutput).toCommitExecution(input);
  }

  /**
   * Hashes the roots of {@link #execute}'s output with {@code hasher} (the node's hashing backend;
   * the CPU engine by default). Call between commits.
   */
  public void hashRootsWith(dev.agentledger.hash.merkle.LevelHasher hasher) {
    ownOutput = new CommitOutput(hasher);
  }

  /**
   * Executes one commit into {@code out} (reused from commit to commit: nothing is allocated per
   * transaction). Same rules and checks as {@link #execute}; returns {@code out}.
   */
  public CommitOutput executeInto(CommittedInput input, CommitOutput out) {
    if (input.sequence() != totals.lastCommitSequence + 1) {
      throw new IllegalStateException(
          "commit " + input.sequence() + " does not follow " + totals.lastCommitSequence);
    }
    sequence = input.sequence();
    this.output = out;
    TransactionRecords records = input.records();
    int count = records.size();
    out.reset(count);
    runKeys.derive(records);
    if (signatureCheck != null) {
      if (verdicts.length < count) {
        verdicts = new byte[Math.max(count, 2 * verdicts.length)];
      }
      Arrays.fill(verdicts, 0, count, SignatureCheck.UNCHECKED);
      signatureCheck.check(records, verdicts);
    }
    byte[] bytes = records.bytes();
    for (int index = 0; index < count; index++) {
      if (index % PREFETCH_RECORDS == 0) {
        runKeys.prefetch(state, index, Math.min(count, index + PREFETCH_RECORDS));
      }
      current = index;
      if (!executeOne(bytes, records.offset(index), records.length(index), index)) {
        totals.transactionsFailed++;
      }
    }
    totals.lastCommitSequence = sequence;
    state.write(totalsKey, valueBuffer, totals.encodeTo(valueBuffer));
    out.computeRoots();
    state.root(out.stateRootArray());
    return out;
  }

  /**
   * Executes the record {@code bytes[offset, offset + length)} (read in place); writes its receipt
   * and event; true when it succeeded.
   */
  private boolean executeOne(byte[] bytes, int offset, int length, int index) {
    RunKind kind = RunKeys.kindOf(bytes, offset, length);
    if (kind == null) {
      hasher.reset().update(bytes, offset, length).digest(id, 0);
      System.arraycopy(id, 0, output.idsArray(), 32 * index, 32);
      return fail(index, 0, ExecutionCode.MALFORMED, ZERO, ZERO, 0);
    }
    view.wrap(bytes, offset, length);
    if (kind == RunKind.RUN) {
      run.wrap(view, 0);
      runKeys.copy(index, RunKeys.ID, id);
      System.arraycopy(id, 0, output.idsArray(), 32 * index, 32);
      run.getAgent(signer, 0);
      run.getPayer(other, 0);
      ExecutionCode code = admit(run.validate(), run.chainId(), kind, run.nonce());
      if (code != ExecutionCode.OK) {
        return fail(index, kind.code(), code, signer, other, 0);
      }
      return executeRun(index);
    }
    op.wrap(view, 0);
    op.transactionId(hasher, id, 0);
    System.arraycopy(id, 0, output.idsArray(), 32 * index, 32);
    op.getSigner(signer, 0);
    op.getTarget(other, 0);
    ExecutionCode code = admit(op.validate(), op.chainId(), kind, op.nonce());
    if (code != ExecutionCode.OK) {
      return fail(index, kind.code(), code, other, signer, 0);
    }
    return executeOp(index, kind);
  }

  private boolean signatureValid(RunKind kind) {
    byte verdict = signatureCheck == null ? SignatureCheck.UNCHECKED : verdicts[current];
    if (verdict != SignatureCheck.UNCHECKED) {
      return verdict == SignatureCheck.VALID;
    }
    return kind == RunKind.RUN ? run.verifySignature() : op.verifySignature();
  }

  /** Layout, chain, signature and nonce; loads the signer's account. Writes nothing. */
  private ExecutionCode admit(AgentRunError error, int chainId, RunKind kind, long nonce) {
    if (error != AgentRunError.NONE) {
      return ExecutionCode.MALFORMED;
    }
    if (chainId != genesis.chainId()) {
      return ExecutionCode.WRONG_CHAIN;
    }
    if (verifySignatures && !signatureValid(kind)) {
      return ExecutionCode.BAD_SIGNATURE;
    }
    if (kind == RunKind.RUN) {
      runKeys.copy(current, RunKeys.SIGNER, signerKey);
    } else {
      StateKeys.account(hasher, signer, 0, signerKey);
    }
    signerAccount.load(valueBuffer, state.read(signerKey, valueBuffer));
    if (nonce != signerAccount.nextNonce) {
      return ExecutionCode.BAD_NONCE;
    }
    return ExecutionCode.OK;
  }

  private boolean executeRun(int index) {
    signerAccount.nextNonce++;
    boolean selfPaid = Arrays.equals(signer, other);
    AccountRecord payer = signerAccount;
    if (!Roles.has(signerAccount.roles, Roles.AGENT)) {
      return consumedFailure(index, RunKind.RUN, ExecutionCode.NOT_AN_AGENT, signer, other);
    }
    if (!selfPaid) {
      runKeys.copy(index, RunKeys.PAYER, otherKey);
      payer = otherAccount.load(valueBuffer, state.read(otherKey, valueBuffer));
      if (!Roles.has(payer.roles, Roles.OPERATOR)) {
        return consumedFailure(index, RunKind.RUN, ExecutionCode.PAYER_NOT_OPERATOR, signer, other);
      }
      runKeys.copy(index, RunKeys.AUTHORIZATION, scratchKey);
      if (state.read(scratchKey, valueBuffer) < 0) {
        return consumedFailure(
            index, RunKind.RUN, ExecutionCode.AGENT_NOT_AUTHORIZED, signer, other);
      }
    }
    long in = run.inputTokens();
    long out = run.outputTokens();
    long compute = run.computeMs();
    long gpu = run.gpuMs();
    long peak = run.peakMemoryBytes();
    if ((in | out | compute | gpu | peak) < 0) {
      return consumedFailure(index, RunKind.RUN, ExecutionCode.USAGE_OUT_OF_RANGE, signer, other);
    }
    run.getParentRun(parent, 0);
    if (!isZero(parent)) {
      runKeys.copy(index, RunKeys.PARENT, scratchKey);
      if (!RunEntry.isOf(valueBuffer, state.read(scratchKey, valueBuffer), signer)) {
        return consumedFailure(index, RunKind.RUN, ExecutionCode.UNKNOWN_PARENT_RUN, signer, other);
      }
    }
    long fee = genesis.fees().runFee(AgentRunDescriptor.ENCODED_LENGTH, in, out, compute, gpu);
    ExecutionCode payment = paymentCheck(fee, run.maxFee(), payer.balance);
    if (payment != ExecutionCode.OK) {
      return consumedFailure(index, RunKind.RUN, payment, signer, other);
    }
    for (int i = 0; i < usageKeys.length; i++) {
      runKeys.copy(index, RunKeys.USAGE + i, usageKeys[i]);
    }
    int outcome = run.outcome();
    for (int i = 0; i < usage.length; i++) {
      UsageRecord u = usage[i].load(valueBuffer, state.read(usageKeys[i], valueBuffer));
      if (!u.add(in, out, compute, gpu, peak, fee, outcome)) {
        return consumedFailure(index, RunKind.RUN, ExecutionCode.USAGE_OVERFLOW, signer, other);
      }
    }
    // All checks passed: write.
    payer.balance -= fee;
    long historyIndex = signerAccount.runCount;
    signerAccount.runCount++;
    System.arraycopy(id, 0, signerAccount.lastRun, 0, 32);
    state.write(signerKey, valueBuffer, signerAccount.encodeTo(valueBuffer));
    if (!selfPaid) {
      state.write(otherKey, valueBuffer, payer.encodeTo(valueBuffer));
    }
    for (int i = 0; i < usage.length; i++) {
      state.write(usageKeys[i], valueBuffer, usage[i].encodeTo(valueBuffer));
    }
    runKeys.copy(index, RunKeys.RUN, scratchKey);
    state.writeOnce(
        scratchKey,
        valueBuffer,
        RunEntry.encodeTo(valueBuffer, signer, parent, historyIndex, sequence));
    totals.feesCollected += fee;
    totals.runsRecorded++;
    output.receipt(index, RunKind.RUN.code(), ExecutionCode.OK, fee);
    output.event(index, ExecutionEvent.Type.RUN_RECORDED, ExecutionCode.OK, signer, other, fee);
    return true;
  }

  private boolean executeOp(int index, RunKind kind) {
    signerAccount.nextNonce++;
    boolean self = Arrays.equals(signer, other);
    long argument = op.argument();
    switch (kind) {
      case PERMISSION -> {
        if (!Roles.has(signerAccount.roles, Roles.ADMIN)) {
          return consumedFailure(index, kind, ExecutionCode.NOT_ADMIN, other, signer);
        }
        if ((argument & ~(long) Roles.ALL) != 0) {
          return consumedFailure(index, kind, ExecutionCode.UNKNOWN_ROLES, other, signer);
        }
        if (self && !Roles.has((int) argument, Roles.ADMIN)) {
          return consumedFailure(index, kind, ExecutionCode.SELF_DEMOTION, other, signer);
        }
      }
      case AUTHORIZE -> {
        if (!Roles.has(signerAccount.roles, Roles.OPERATOR)) {
          return consumedFailure(index, kind, ExecutionCode.NOT_OPERATOR, other, signer);
        }
      }
      case TRANSFER -> {
        if (argument < 0) {
          return consumedFailure(index, kind, ExecutionCode.AMOUNT_OUT_OF_RANGE, other, signer);
        }
      }
      case REGISTER_AGENT -> {
        if (!Roles.has(signerAccount.roles, Roles.OPERATOR)
            && !Roles.has(signerAccount.roles, Roles.ADMIN)) {
          return consumedFailure(index, kind, ExecutionCode.NOT_REGISTRAR, other, signer);
        }
      }
      default -> throw new IllegalStateException("not an account operation: " + kind);
    }
    long fee = genesis.fees().opFee(AccountOpDescriptor.ENCODED_LENGTH);
    long debit =
        kind == RunKind.TRANSFER && fee != FeeSchedule.OVERFLOW
            ? addOrOverflow(fee, argument)
            : fee;
    ExecutionCode payment =
        fee == FeeSchedule.OVERFLOW
            ? ExecutionCode.FEE_OVERFLOW
            : Long.compareUnsigned(fee, op.maxFee()) > 0
                ? ExecutionCode.FEE_EXCEEDS_MAX_FEE
                : debit == FeeSchedule.OVERFLOW || signerAccount.balance < debit
                    ? ExecutionCode.INSUFFICIENT_BALANCE
                    : ExecutionCode.OK;
    if (payment != ExecutionCode.OK) {
      return consumedFailure(index, kind, payment, other, signer);
    }
    AccountRecord target = signerAccount;
    if (!self && kind != RunKind.AUTHORIZE) {
      StateKeys.account(hasher, other, 0, otherKey);
      target = otherAccount.load(valueBuffer, state.read(otherKey, valueBuffer));
    }
    if (kind == RunKind.TRANSFER
        && !self
        && addOrOverflow(target.balance, argument) == FeeSchedule.OVERFLOW) {
      return consumedFailure(index, kind, ExecutionCode.BALANCE_OVERFLOW, other, signer);
    }
    // All checks passed: write.
    signerAccount.balance -= debit;
    ExecutionEvent.Type type;
    long eventAmount = argument;
    switch (kind) {
      case PERMISSION -> {
        target.roles = (int) argument;
        type = ExecutionEvent.Type.PERMISSION_CHANGED;
      }
      case AUTHORIZE -> {
        StateKeys.authorization(hasher, signer, other, scratchKey);
        state.put(scratchKey, argument == AccountOpDescriptor.AUTHORIZE_GRANT ? AUTHORIZED : null);
        type = ExecutionEvent.Type.AUTHORIZATION_CHANGED;
      }
      case REGISTER_AGENT -> {
        target.roles |= Roles.AGENT;
        eventAmount = target.roles;
        if (!self && Roles.has(signerAccount.roles, Roles.OPERATOR)) {
          StateKeys.authorization(hasher, signer, other, scratchKey);
          state.put(scratchKey, AUTHORIZED);
        }
        type = ExecutionEvent.Type.AGENT_REGISTERED;
      }
      default -> {
        target.balance += argument;
        type = ExecutionEvent.Type.TRANSFERRED;
      }
    }
    state.write(signerKey, valueBuffer, signerAccount.encodeTo(valueBuffer));
    if (target != signerAccount) {
      state.write(otherKey, valueBuffer, target.encodeTo(valueBuffer));
    }
    totals.feesCollected += fee;
    output.receipt(index, kind.code(), ExecutionCode.OK, fee);
    output.event(index, type, ExecutionCode.OK, other, signer, eventAmount);
    return true;
  }

  private static long addOrOverflow(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? FeeSchedule.OVERFLOW : sum;
  }

  private static ExecutionCode paymentCheck(long fee, long maxFee, long balance) {
    if (fee == FeeSchedule.OVERFLOW) {
      return ExecutionCode.FEE_OVERFLOW;
    }
    if (Long.compareUnsigned(fee, maxFee) > 0) {
      return ExecutionCode.FEE_EXCEEDS_MAX_FEE;
    }
    return balance < fee ? ExecutionCode.INSUFFICIENT_BALANCE : ExecutionCode.OK;
  }

  /**
   * A failure after the nonce check: the signer's nonce is consumed and it pays the failure fee
   * (capped by {@code max_fee} and its balance); nothing else changes.
   */
  private boolean consumedFailure(
      int index, RunKind kind, ExecutionCode code, byte[] account, byte[] payer) {
    long fee = genesis.fees().failureFee(kind.encodedLength());
    long maxFee = kind == RunKind.RUN ? run.maxFee() : op.maxFee();
    if (fee == FeeSchedule.OVERFLOW || Long.compareUnsigned(fee, maxFee) > 0) {
      fee = maxFee < 0 ? Long.MAX_VALUE : maxFee;
    }
    fee = Math.min(fee, Math.max(0, signerAccount.balance));
    signerAccount.balance -= fee;
    totals.feesCollected += fee;
    state.write(signerKey, valueBuffer, signerAccount.encodeTo(valueBuffer));
    return fail(index, kind.code(), code, account, payer, fee);
  }

  private boolean fail(
      int index, int kind, ExecutionCode code, byte[] account, byte[] payer, long fee) {
    ExecutionEvent.Type type =
        switch (code) {
          case FEE_OVERFLOW, FEE_EXCEEDS_MAX_FEE, INSUFFICIENT_BALANCE ->
              ExecutionEvent.Type.PAYMENT_FAILED;
          default -> ExecutionEvent.Type.TRANSACTION_FAILED;
        };
    output.receipt(index, kind, code, fee);
    output.event(index, type, code, account, payer, fee);
    return false;
  }

  private static boolean isZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
