package dev.agentledger.node.execution.core;

import dev.agentledger.hash.Sha256;
import java.nio.charset.StandardCharsets;

/**
 * Keys of the state tree: SHA-256 over a domain tag and the identifying bytes, so keys spread
 * uniformly over the sparse Merkle tree and no two kinds of record can collide.
 *
 * <pre>
 *   account        SHA-256("agentledger/state/account" || key32)
 *   authorization  SHA-256("agentledger/state/auth" || payer32 || agent32)
 *   usage          SHA-256("agentledger/state/usage" || scope(u8) || id)   id: 32 B, task 16 B
 *   run            SHA-256("agentledger/state/run" || txid32)
 *   totals         SHA-256("agentledger/state/totals")
 * </pre>
 */
public final class StateKeys {
  private StateKeys() {}

  /** Usage scopes: who the usage is accounted to. */
  public static final int SCOPE_AGENT = 1;

  public static final int SCOPE_PAYER = 2;
  public static final int SCOPE_TASK = 3;
  public static final int SCOPE_MODEL = 4;

  private static final byte[] ACCOUNT = tag("account");
  private static final byte[] AUTH = tag("auth");
  private static final byte[] USAGE = tag("usage");
  private static final byte[] RUN = tag("run");
  private static final byte[] TOTALS = tag("totals");

  private static byte[] tag(String name) {
    return ("agentledger/state/" + name).getBytes(StandardCharsets.US_ASCII);
  }

  public static void account(Sha256 h, byte[] key, int keyOffset, byte[] out) {
    h.reset().update(ACCOUNT, 0, ACCOUNT.length).update(key, keyOffset, 32).digest(out, 0);
  }

  public static void authorization(Sha256 h, byte[] payer, byte[] agent, byte[] out) {
    h.reset().update(AUTH, 0, AUTH.length).update(payer, 0, 32).update(agent, 0, 32).digest(out, 0);
  }

  public static void usage(Sha256 h, int scope, byte[] id, int idLength, byte[] out) {
    h.reset()
        .update(USAGE, 0, USAGE.length)
        .update((byte) scope)
        .update(id, 0, idLength)
        .digest(out, 0);
  }

  public static void run(Sha256 h, byte[] txId, byte[] out) {
    h.reset().update(RUN, 0, RUN.length).update(txId, 0, 32).digest(out, 0);
  }

  /** Bytes of an account key's message ({@code tag || key32}). */
  public static final int ACCOUNT_MESSAGE_BYTES = ACCOUNT.length + 32;

  /** Bytes of an authorization key's message ({@code tag || payer32 || agent32}). */
  public static final int AUTHORIZATION_MESSAGE_BYTES = AUTH.length + 64;

  /** Bytes of a run key's message ({@code tag || txid32}). */
  public static final int RUN_MESSAGE_BYTES = RUN.length + 32;

  /** Bytes of a usage key's message for an id of {@code idLength} bytes. */
  public static int usageMessageBytes(int idLength) {
    return USAGE.length + 1 + idLength;
  }

  // The messages the keys above hash, written into a caller's buffer (for hashing many at once);
  // each returns the offset after the message.

  public static int accountMessage(byte[] out, int o, byte[] key, int keyOffset) {
    System.arraycopy(ACCOUNT, 0, out, o, ACCOUNT.length);
    System.arraycopy(key, keyOffset, out, o + ACCOUNT.length, 32);
    return o + ACCOUNT_MESSAGE_BYTES;
  }

  public static int authorizationMessage(byte[] out, int o, byte[] payer, byte[] agent) {
    System.arraycopy(AUTH, 0, out, o, AUTH.length);
    System.arraycopy(payer, 0, out, o + AUTH.length, 32);
    System.arraycopy(agent, 0, out, o + AUTH.length + 32, 32);
    return o + AUTHORIZATION_MESSAGE_BYTES;
  }

  public static int usageMessage(byte[] out, int o, int scope, byte[] id, int idLength) {
    System.arraycopy(USAGE, 0, out, o, USAGE.length);
    out[o + USAGE.length] = (byte) scope;
    System.arraycopy(id, 0, out, o + USAGE.length + 1, idLength);
    return o + usageMessageBytes(idLength);
  }

  public static int runMessage(byte[] out, int o, byte[] txId, int txIdOffset) {
    System.arraycopy(RUN, 0, out, o, RUN.length);
    System.arraycopy(txId, txIdOffset, out, o + RUN.length, 32);
    return o + RUN_MESSAGE_BYTES;
  }

  public static byte[] totals() {
    return Sha256.digest(TOTALS);
  }

  // Allocating conveniences for queries and tests.

  public static byte[] account(byte[] key) {
    byte[] out = new byte[32];
    account(new Sha256(), key, 0, out);
    return out;
  }

  public static byte[] authorization(byte[] payer, byte[] agent) {
    byte[] out = new byte[32];
    authorization(new Sha256(), payer, agent, out);
    return out;
  }

  public static byte[] usage(int scope, byte[] id) {
    byte[] out = new byte[32];
    usage(new Sha256(), scope, id, id.length, out);
    return out;
  }

  public static byte[] run(byte[] txId) {
    byte[] out = new byte[32];
    run(new Sha256(), txId, out);
    return out;
  }

  /** Id length of a usage scope (task ids are 16 bytes, the rest 32). */
  public static int idLength(int scope) {
    return switch (scope) {
      case SCOPE_AGENT, SCOPE_PAYER, SCOPE_MODEL -> 32;
      case SCOPE_TASK -> 16;
      default -> throw new IllegalArgumentException("unknown usage scope " + scope);
    };
  }

  public static String scopeName(int scope) {
    return switch (scope) {
      case SCOPE_AGENT -> "agent";
      case SCOPE_PAYER -> "payer";
      case SCOPE_TASK -> "task";
      case SCOPE_MODEL -> "model";
      default -> throw new IllegalArgumentException("unknown usage scope " + scope);
    };
  }

  public static int parseScope(String name) {
    return switch (name) {
      case "agent" -> SCOPE_AGENT;
      case "payer" -> SCOPE_PAYER;
      case "task" -> SCOPE_TASK;
      case "model" -> SCOPE_MODEL;
      default -> throw new IllegalArgumentException("unknown usage scope " + name);
    };
  }
}
