package dev.agentledger.node.execution.core;

import dev.agentledger.hash.Sha256;
import dev.agentledger.hash.simd.MultiBufferSha256;
import dev.agentledger.hash.simd.WarmSha256;
import dev.agentledger.node.tx.AgentRunDescriptor;
import dev.agentledger.node.tx.AgentRunFlyweight;
import dev.agentledger.node.tx.RunKind;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The transaction id and state keys of every RUN record of a commit, derived before any record
 * executes: they depend on the record's bytes alone (agent, payer, parent, task, model, and the id
 * itself), never on state, so deriving them first changes no result.
 *
 * <p>Per run, {@link #SLOTS} 32-byte slots: the id, the agent's account, the payer's account and
 * the payer's authorization of the agent (when the payer is another key), the parent run's key
 * (when {@code parent_run} is not zero), the four usage keys ({@link StateKeys#usage}: agent,
 * payer, task, model) and the run's own key. The id (a 347-byte preimage, six blocks) is hashed
 * with the JDK's SHA-256 as the record is read: on long messages the multi-buffer engine is no
 * faster (about 45 ns per block either way on this machine). The keys' messages are short (57, 86,
 * 56, 40 and 53 bytes; {@link StateKeys}), where the JDK's per-call cost dominates: they are
 * written back to back per message length, and each length's group is hashed at once with the
 * multi-buffer engine ({@link MultiBufferSha256#digestFixed}, one message per lane; 1.5 to 1.8
 * times the JDK here), from {@link #SIMD_GROUP} messages; below that with the JDK's SHA-256 (a
 * small commit never runs a rarely used vector path uncompiled).
 *
 * <p>The engine is reached through {@link WarmSha256#digestFixed}, the process-wide gate that sends
 * calls to the JDK's SHA-256 until the engine is measured faster (cold Vector API code runs about a
 * hundred times slower and allocates per vector operation). Both give the same digests, so the
 * choice changes only time.
 *
 * <p>Single-threaded; buffers grow with the largest commit seen and are reused.
 */
final class RunKeys {
  static final int ID = 0;
  static final int SIGNER = 1;
  static final int PAYER = 2;
  static final int AUTHORIZATION = 3;
  static final int PARENT = 4;

  /** The four usage keys, in {@link StateKeys} scope order (agent, payer, task, model). */
  static final int USAGE = 5;

  static final int RUN = 9;
  static final int SLOTS = 10;

  /** Messages of one length hashed with the multi-buffer engine, at least. */
  static final int SIMD_GROUP = Math.max(2, MultiBufferSha256.LANES / 2);

  private static final int H = 32;

  private final Sha256 sha;
  private final AgentRunFlyweight run = new AgentRunFlyweight();
  private final UnsafeBuffer view = new UnsafeBuffer(new byte[1]);
  private final byte[] agent = new byte[H];
  private final byte[] payer = new byte[H];
  private final byte[] parent = new byte[H];
  private final byte[] task = new byte[AgentRunDescriptor.TASK_ID_LENGTH];
  private final byte[] model = new byte[H];

  private final Group accounts = new Group(StateKeys.ACCOUNT_MESSAGE_BYTES);
  private final Group authorizations = new Group(StateKeys.AUTHORIZATION_MESSAGE_BYTES);
  private final Group usages = new Group(StateKeys.usageMessageBytes(H));
  private final Group tasks =
      new Group(StateKeys.usageMessageBytes(AgentRunDescriptor.TASK_ID_LENGTH));
  private final Group runs = new Group(StateKeys.RUN_MESSAGE_BYTES);

  private byte[] keys = new byte[0];
  private boolean[] derived = new boolean[0];

  RunKeys(Sha256 sha) {
    this.sha = sha;
  }

  /** The kind of {@code record} when its kind byte names a layout and its length matches it. */
  static RunKind kindOf(byte[] record) {
    return kindOf(record, 0, record.length);
  }

  /**
   * The kind of the record {@code bytes[offset, offset + length)} when its kind byte names a layout
   * and its length matches it.
   */
  static RunKind kindOf(byte[] bytes, int offset, int length) {
    RunKind kind = length >= 2 ? RunKind.fromCode(bytes[offset + 1]) : null;
    return kind == null || length != kind.encodedLength() ? null : kind;
  }

  /** Derives the ids and keys of the RUN records among {@code records}, read in place. */
  void derive(TransactionRecords records) {
    int count = records.size();
    byte[] bytes = records.bytes();
    if (derived.length < count) {
      int size = Math.max(count, 2 * derived.length);
      derived = new boolean[size];
      keys = new byte[SLOTS * H * size];
    }
    for (int i = 0; i < count; i++) {
      int offset = records.offset(i);
      int length = records.length(i);
      derived[i] = kindOf(bytes, offset, length) == RunKind.RUN;
      if (!derived[i]) {
        continue;
      }
      int base = SLOTS * H * i;
      view.wrap(bytes, offset, length);
      run.wrap(view, 0);
      run.transactionId(sha, keys, base + H * ID);
      int at = runs.reserve(base + H * RUN);
      StateKeys.runMessage(runs.pack, at, keys, base + H * ID);
      run.getAgent(agent, 0);
      run.getPayer(payer, 0);
      at = accounts.reserve(base + H * SIGNER);
      StateKeys.accountMessage(accounts.pack, at, agent, 0);
      if (!Arrays.equals(agent, payer)) {
        at = accounts.reserve(base + H * PAYER);
        StateKeys.accountMessage(accounts.pack, at, payer, 0);
        at = authorizations.reserve(base + H * AUTHORIZATION);
        StateKeys.authorizationMessage(authorizations.pack, at, payer, agent);
      }
      run.getParentRun(parent, 0);
      if (!isZero(parent)) {
        at = runs.reserve(base + H * PARENT);
        StateKeys.runMessage(runs.pack, at, parent, 0);
      }
      run.getTaskId(task, 0);
      run.getModel(model, 0);
      int usage = base + H * USAGE;
      at = usages.reserve(usage);
      StateKeys.usageMessage(usages.pack, at, StateKeys.SCOPE_AGENT, agent, H);
      at = usages.reserve(usage + H);
      StateKeys.usageMessage(usages.pack, at, StateKeys.SCOPE_PAYER, payer, H);
      at = tasks.reserve(usage + 2 * H);
      StateKeys.usageMessage(tasks.pack, at, StateKeys.SCOPE_TASK, task, task.length);
      at = usages.reserve(usage + 3 * H);
      StateKeys.usageMessage(usages.pack, at, StateKeys.SCOPE_MODEL, model, H);
    }
    accounts.digestInto(keys, sha);
    authorizations.digestInto(keys, sha);
    runs.digestInto(keys, sha);
    usages.digestInto(keys, sha);
    tasks.digestInto(keys, sha);
  }

  /**
   * Hints to {@code state} ({@link StateStore#prefetch}) the keys of records {@code [from, to)}:
   * their slots lie back to back ({@link #SLOTS} a record), the slots a record does not use holding
   * bytes of an earlier commit, which the hint may load to no effect.
   */
  void prefetch(StateStore state, int from, int to) {
    state.prefetch(keys, SLOTS * H * from, SLOTS * (to - from));
  }

  /** Copies slot {@code slot} of record {@code index} (a derived RUN record) into {@code out}. */
  void copy(int index, int slot, byte[] out) {
    if (!derived[index]) {
      throw new IllegalStateException("record " + index + " is not a derived run");
    }
    System.arraycopy(keys, SLOTS * H * index + H * slot, out, 0, H);
  }

  private static boolean isZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** Messages of one length, back to back, and where each one's digest goes. */
  private static final class Group {
    final int messageBytes;
    byte[] pack = new byte[0];
    private int[] destinations = new int[0];
    private byte[] digests = new byte[0];
    private int count;

    Group(int messageBytes) {
      this.messageBytes = messageBytes;
    }

    /**
     * Room for one more message, whose digest goes to {@code destination}; its offset in {@link
     * #pack} (read the array after this call: it may grow).
     */
    int reserve(int destination) {
      if (count == destinations.length) {
        int size = Math.max(64, 2 * count);
        destinations = Arrays.copyOf(destinations, size);
        pack = Arrays.copyOf(pack, size * messageBytes);
        digests = new byte[size * H];
      }
      destinations[count] = destination;
      return messageBytes * count++;
    }

    /** Hashes the messages into {@code keys} at their destinations and empties the group. */
    void digestInto(byte[] keys, Sha256 sha) {
      if (count < SIMD_GROUP) {
        jdk(keys, sha, 0, count);
      } else {
        vector(keys, count);
      }
      count = 0;
    }

    private void vector(byte[] keys, int n) {
      WarmSha256.digestFixed(pack, 0, messageBytes, n, digests, 0);
      for (int j = 0; j < n; j++) {
        System.arraycopy(digests, H * j, keys, destinations[j], H);
      }
    }

    private void jdk(byte[] keys, Sha256 sha, int from, int to) {
      for (int j = from; j < to; j++) {
        sha.reset().update(pack, messageBytes * j, messageBytes).digest(keys, destinations[j]);
      }
    }
  }
}
