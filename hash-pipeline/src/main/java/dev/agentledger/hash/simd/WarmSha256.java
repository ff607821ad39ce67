package dev.agentledger.hash.simd;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The multi-buffer engine ({@link MultiBufferSha256}) behind a gate that keeps it out of the way
 * while it is cold: the entry points here give the same digests as the engine's, computed by the
 * JDK's SHA-256 (SHA-NI where the CPU has it, no warm-up) until the engine is measured faster, and
 * by the engine from then on. Interpreted or C1-compiled, the Vector API boxes every vector (tens
 * of bytes each, about a hundred times the compiled code's time), so a caller that sends every
 * group to a cold engine pays that until C2 compiles it, which in a node at a low rate can be most
 * of a short run.
 *
 * <p>There is one gate per process (the JIT's state is) and kind of message (prefixed 64-byte
 * messages, fixed-length messages, 32-byte leaves: the engine's code for each is compiled apart, so
 * one kind's compiled code says nothing about another's, and a shared gate opened by a warm kind
 * sent a cold one to boxed vectors until a recheck shut it). Only calls of at least {@link
 * #JUDGED_MESSAGES} messages are timed and judged; smaller ones follow the gate as it stands (shut:
 * the JDK; open: the engine). While shut, every {@link #PROBE_EVERY}th such call, at most one per
 * {@link #PROBE_NANOS} (more apart after losing probes), is a probe: its first vector of messages
 * ({@link MultiBufferSha256#LANES}) goes to the engine, and the rest of the call too unless that
 * vector showed the engine cold (below; the rest then goes through the JDK: a cold probe costs one
 * vector, not a batch). The probe is timed whole, as one call through the JDK in each such period
 * is: a probe faster per 64-byte block than the JDK's recent calls counts a win, {@link #WINS} wins
 * in a row open the gate (a slower probe starts the count again). A probe times the whole call, not
 * its first vector alone: between two probes the caller runs other code, and the engine's first
 * vector after that pays for bringing its large unrolled code and tables back into the caches
 * (measured on this project's machine, an AMD EPYC with AVX-512: about 9 µs for the first 16
 * messages, 5 times the JDK's SHA-NI, against 32 ns a message for the next ones, a third of the
 * JDK's), so a first vector alone always lost and the gate never opened; what a call costs is what
 * matters. While open, every {@link #RECHECK_EVERY}th judged call is timed and shuts the gate again
 * if it is more than twice the JDK's time per block (the engine's code was deoptimized). A probe or
 * recheck is also judged by the heap bytes its engine call allocated on this thread (the probe's
 * first vector alone): compiled, the engine allocates nothing; interpreted or C1-compiled (cold, or
 * deoptimized and not compiled again), it boxes every vector. A call that allocated more than
 * {@link #COLD_BYTES} loses, or shuts the gate, whatever its time: on a loaded machine one timing
 * can be off by more than the factor between the two, the allocation cannot. The choice changes
 * speed only, never a digest, so it is not part of any deterministic state. Threads share the
 * gate's counters without locks: a lost update only moves a probe. The system property {@code
 * agentledger.sha256.gate} ({@code open}, {@code shut}, else measured) or {@link #force} holds it
 * open or shut instead.
 *
 * <p>No allocation per call: the JDK's digests are per thread.
 */
public final class WarmSha256 {
  /** Probes in a row, each faster per block than the JDK, that open the gate. */
  static final int WINS = 4;

  /**
   * Messages a call needs to be timed and judged (four vectors): the first vector's cache misses on
   * the engine's code are then spread over enough messages to measure what the engine costs where
   * it matters, in large batches.
   */
  static final int JUDGED_MESSAGES = 4 * MultiBufferSha256.LANES;

  /** Judged calls between two probes of the engine while the gate is shut. */
  static final int PROBE_EVERY = 8;

  /**
   * Nanoseconds at least between two probes at first: a probe of the cold engine boxes every vector
   * (about a hundred kilobytes and a millisecond per vector of messages), so while the engine is
   * cold, probes stay rare whatever the call rate. Each losing probe doubles the spacing, up to
   * {@link #MAX_PROBE_NANOS}; a winning one sets it back. Probes do not warm the engine up; a
   * start-up warm-up does (the node's JIT warm-up, {@code ArenaSparseMerkleTree.warmUp}).
   */
  static final long PROBE_NANOS = 10_000_000L;

  /** The widest spacing of probes (a second). */
  static final long MAX_PROBE_NANOS = 1_000_000_000L;

  /**
   * Judged calls between two timed calls of the engine while the gate is open: a recheck costs two
   * clock reads and one read of the thread's allocation counter, so it is frequent enough that
   * deoptimized engine code runs for a few calls, not a thousand.
   */
  static final int RECHECK_EVERY = 16;

  /**
   * Heap bytes an engine call may allocate and still count as compiled code (a first call for a new
   * message length makes its constant blocks once; a boxed vector of messages is about a hundred
   * kilobytes).
   */
  static final long COLD_BYTES = 16 * 1024;

  private static final com.sun.management.ThreadMXBean THREADS = threads();

  /** Gate modes: measured (the default), or held open or shut. */
  public static final int MEASURED = 0;

  public static final int OPEN = 1;
  public static final int SHUT = 2;

  private static volatile int mode = initialMode();

  /** Kinds of message, each with a gate of its own (the engine compiles a path per kind). */
  private static final int KINDS = 3;

  private static final boolean[] warm = new boolean[KINDS];
  private static final int[] calls = new int[KINDS];
  private static final int[] wins = new int[KINDS];
  private static long probes;
  private static final long[] lastProbe = new long[KINDS];
  private static final long[] probeSpacing = new long[KINDS];
  private static long switches;

  /** The JDK's recent time per 64-byte block per kind, in picoseconds (0: not measured yet). */
  private static final long[] jdkPsPerBlock = new long[KINDS];

  static {
    java.util.Arrays.fill(lastProbe, System.nanoTime() - PROBE_NANOS);
    java.util.Arrays.fill(probeSpacing, PROBE_NANOS);
  }

  private static final ThreadLocal<MessageDigest> JDK =
      ThreadLocal.withInitial(WarmSha256::newDigest);

  private WarmSha256() {}

  private static int initialMode() {
    String gate = System.getProperty("agentledger.sha256.gate", "");
    return switch (gate) {
      case "open" -> OPEN;
      case "shut" -> SHUT;
      default -> MEASURED;
    };
  }

  /** Holds the gate {@link #OPEN} or {@link #SHUT}, or lets it measure ({@link #MEASURED}). */
  public static void force(int newMode) {
    if (newMode != MEASURED && newMode != OPEN && newMode != SHUT) {
      throw new IllegalArgumentException("gate mode " + newMode);
    }
    mode = newMode;
  }

  /** The gate's mode: {@link #MEASURED}, or held {@link #OPEN} or {@link #SHUT}. */
  public static int mode() {
    return mode;
  }

  /** Whether calls (of some kind, when measured) go to the multi-buffer engine now. */
  public static boolean warm() {
    int m = mode;
    return m == OPEN || m == MEASURED && (warm[PREFIXED] || warm[FIXED] || warm[LEAVES]);
  }

  /** Whether the measured gate of {@code kind} is open (tests). */
  static boolean warm(int kind) {
    return warm[kind];
  }

  /** Engine calls timed while the gate was shut, so far. */
  public static long probes() {
    return probes;
  }

  /** Times the gate opened or shut by measurement, so far. */
  public static long switches() {
    return switches;
  }

  /**
   * {@code out[i] = SHA-256(prefix || in[64i, 64i + 64))} for {@code i < count}, as {@link
   * MultiBufferSha256#hashPrefixed64}.
   */
  public static void hashPrefixed64(
      int prefix, byte[] in, int inOffset, int count, byte[] out, int outOffset) {
    run(PREFIXED, prefix, in, inOffset, count, out, outOffset);
  }

  /**
   * SHA-256 of {@code count} messages of {@code messageBytes} bytes packed from {@code inOffset},
   * digests packed from {@code outOffset}, as {@link MultiBufferSha256#digestFixed}.
   */
  public static void digestFixed(
      byte[] in, int inOffset, int messageBytes, int count, byte[] out, int outOffset) {
    if (messageBytes < 0) {
      throw new IllegalArgumentException("negative message length");
    }
    run(FIXED, messageBytes, in, inOffset, count, out, outOffset);
  }

  /**
   * RFC 6962 leaves of 32-byte data, {@code out[i] = SHA-256(0x00 || data[i])}, as {@link
   * MultiBufferSha256#hashLeaves32}.
   */
  public static void hashLeaves32(
      byte[] data, int dataOffset, int count, byte[] out, int outOffset) {
    run(LEAVES, 0, data, dataOffset, count, out, outOffset);
  }

  static final int PREFIXED = 0;
  static final int FIXED = 1;
  static final int LEAVES = 2;

  /**
   * Sends calls of every kind through every route of the gate, holding it in each of its states in
   * turn (shut and measuring: a timed JDK call, plain ones, a probe and a call too small to judge;
   * open and measuring: engine calls, a recheck and a call too small to judge; held open; held
   * shut; {@link #JUDGED_MESSAGES} messages a judged call, one a small one), takes a won and a lost
   * probe and a passed and a failed recheck into it, then puts the mode and every counter back as
   * they were. For a start-up warm-up (the node's JIT warm-up calls it once a pass), before other
   * threads hash: the JIT's profile of the gate then holds every arm of its branches, so C2
   * compiles both sides of them, in the gate and in the callers that inline it (the state tree's
   * value hashing). Without it the profile holds the arms the start-up took, and a gate that opens
   * or shuts under load hits an uncommon trap that sends those callers back to the interpreter
   * until C2 compiles them again (seconds of compiler time on a loaded machine). Digests stay right
   * whatever the route; a thread hashing meanwhile only takes a slower route for a call.
   */
  public static void exerciseRoutes() {
    int savedMode = mode;
    boolean[] savedWarm = warm.clone();
    int[] savedCalls = calls.clone();
    int[] savedWins = wins.clone();
    long savedProbes = probes;
    long[] savedLastProbe = lastProbe.clone();
    long[] savedSpacing = probeSpacing.clone();
    long savedSwitches = switches;
    long[] savedJdk = jdkPsPerBlock.clone();
    int n = JUDGED_MESSAGES;
    byte[] in = new byte[64 * n];
    byte[] out = new byte[32 * n];
    try {
      for (int kind = PREFIXED; kind <= LEAVES; kind++) {
        int arg = kind == FIXED ? 48 : 0;
        mode = MEASURED;
        warm[kind] = false;
        calls[kind] = 0;
        jdkPsPerBlock[kind] = 1_000_000;
        probeSpacing[kind] = PROBE_NANOS;
        lastProbe[kind] = System.nanoTime() - MAX_PROBE_NANOS;
        for (int i = 0; i < PROBE_EVERY; i++) { // timed JDK, plain JDK, then a probe
          run(kind, arg, in, 0, n, out, 0);
        }
        run(kind, arg, in, 0, 1, out, 0); // too small to judge: the JDK
        warm[kind] = true;
        calls[kind] = 0;
        for (int i = 0; i < RECHECK_EVERY; i++) { // engine, then a recheck
          run(kind, arg, in, 0, n, out, 0);
        }
        run(kind, arg, in, 0, 1, out, 0); // too small to judge: the engine
        mode = OPEN;
        run(kind, arg, in, 0, 1, out, 0);
        mode = SHUT;
        run(kind, arg, in, 0, 1, out, 0);
        // the verdicts both ways: a first and a later JDK time, probes won, lost and opening,
        // rechecks passed and failed
        mode = MEASURED;
        jdkPsPerBlock[kind] = 0;
        timed(kind, JDK_TIMED, 1, 1);
        timed(kind, JDK_TIMED, 1, 1);
        wins[kind] = 0;
        timed(kind, ENGINE_PROBE, 0, 1);
        timed(kind, ENGINE_PROBE, Long.MAX_VALUE / 1000, 1);
        wins[kind] = WINS - 1;
        timed(kind, ENGINE_PROBE, 0, 1);
        timed(kind, ENGINE_RECHECK, 0, 1);
        timed(kind, ENGINE_RECHECK, Long.MAX_VALUE / 1000, 1);
      }
    } finally {
      System.arraycopy(savedWarm, 0, warm, 0, KINDS);
      System.arraycopy(savedCalls, 0, calls, 0, KINDS);
      System.arraycopy(savedWins, 0, wins, 0, KINDS);
      probes = savedProbes;
      System.arraycopy(savedLastProbe, 0, lastProbe, 0, KINDS);
      System.arraycopy(savedSpacing, 0, probeSpacing, 0, KINDS);
      switches = savedSwitches;
      System.arraycopy(savedJdk, 0, jdkPsPerBlock, 0, KINDS);
      mode = savedMode;
    }
  }

  /**
   * One call: {@code kind} of message, {@code arg} the prefix ({@link #PREFIXED}) or the message
   * length ({@link #FIXED}). A probe runs the engine on one vector of messages only (cold, it may
   * cost a hundred times the JDK) and the rest through the JDK.
   */
  private static void run(
      int kind, int arg, byte[] in, int inOffset, int count, byte[] out, int outOffset) {
    if (count <= 0) {
      return;
    }
    int route = route(kind, count);
    if (route == ENGINE) {
      engine(kind, arg, in, inOffset, count, out, outOffset);
    } else if (route == JDK_PLAIN) {
      jdk(kind, arg, in, inOffset, count, out, outOffset);
    } else if (route == ENGINE_PROBE) {
      int k = Math.min(count, MultiBufferSha256.LANES);
      long a0 = allocated();
      long t0 = System.nanoTime();
      engine(kind, arg, in, inOffset, k, out, outOffset);
      int skip = k * inBytes(kind, arg);
      if (allocated() - a0 > COLD_BYTES) {
        timed(kind, route, Long.MAX_VALUE / 1000, blocks(kind, arg, k));
        jdk(kind, arg, in, inOffset + skip, count - k, out, outOffset + 32 * k);
      } else {
        engine(kind, arg, in, inOffset + skip, count - k, out, outOffset + 32 * k);
        timed(kind, route, System.nanoTime() - t0, blocks(kind, arg, count));
      }
    } else {
      long a0 = route == JDK_TIMED ? 0 : allocated();
      long t0 = System.nanoTime();
      if (route == JDK_TIMED) {
        jdk(kind, arg, in, inOffset, count, out, outOffset);
      } else {
        engine(kind, arg, in, inOffset, count, out, outOffset);
      }
      long nanos = System.nanoTime() - t0;
      if (route != JDK_TIMED && allocated() - a0 > COLD_BYTES) {
        nanos = Long.MAX_VALUE / 1000;
      }
      timed(kind, route, nanos, blocks(kind, arg, count));
    }
  }

  /** The JVM's per-thread allocation counter, or null where it is missing or off. */
  private static com.sun.management.ThreadMXBean threads() {
    try {
      if (java.lang.management.ManagementFactory.getThreadMXBean()
              instanceof com.sun.management.ThreadMXBean t
          && t.isThreadAllocatedMemorySupported()
          && t.isThreadAllocatedMemoryEnabled()) {
        return t;
      }
    } catch (RuntimeException | LinkageError e) {
      // No management: the gate judges by time alone.
    }
    return null;
  }

  /** Heap bytes this thread has allocated so far (0 without the counter: nothing is judged). */
  private static long allocated() {
    return THREADS == null ? 0 : THREADS.getCurrentThreadAllocatedBytes();
  }

  /** Input bytes of one message of {@code kind}. */
  private static int inBytes(int kind, int arg) {
    return kind == PREFIXED ? 64 : kind == LEAVES ? 32 : arg;
  }

  /** 64-byte blocks SHA-256 compresses for {@code count} messages of {@code kind}. */
  private static long blocks(int kind, int arg, int count) {
    int perMessage =
        kind == PREFIXED ? 2 : kind == LEAVES ? 1 : MultiBufferSha256.paddedBytes(arg) / 64;
    return (long) count * perMessage;
  }

  private static void engine(
      int kind, int arg, byte[] in, int inOffset, int count, byte[] out, int outOffset) {
    switch (kind) {
      case PREFIXED -> MultiBufferSha256.hashPrefixed64(arg, in, inOffset, count, out, outOffset);
      case LEAVES -> MultiBufferSha256.hashLeaves32(in, inOffset, count, out, outOffset);
      default -> MultiBufferSha256.digestFixed(in, inOffset, arg, count, out, outOffset);
    }
  }

  private static void jdk(
      int kind, int arg, byte[] in, int inOffset, int count, byte[] out, int outOffset) {
    int messageBytes = inBytes(kind, arg);
    MultiBufferSha256.checkRange(in, inOffset, (long) messageBytes * count);
    MultiBufferSha256.checkRange(out, outOffset, 32L * count);
    MessageDigest md = JDK.get();
    md.reset();
    for (int i = 0; i < count; i++) {
      if (kind != FIXED) {
        md.update((byte) (kind == PREFIXED ? arg : 0));
      }
      md.update(in, inOffset + messageBytes * i, messageBytes);
      try {
        md.digest(out, outOffset + 32 * i, 32);
      } catch (DigestException e) {
        throw new IllegalArgumentException("no room for a digest at " + (outOffset + 32 * i), e);
      }
    }
  }

  // ---- the gate.

  static final int ENGINE = 0;
  static final int JDK_PLAIN = 1;
  static final int JDK_TIMED = 2;
  static final int ENGINE_PROBE = 3;
  static final int ENGINE_RECHECK = 4;

  /** Where this call of {@code count} messages of {@code kind} goes (and whether it is timed). */
  static int route(int kind, int count) {
    int m = mode;
    if (m == OPEN) {
      return ENGINE;
    }
    if (m == SHUT) {
      return JDK_PLAIN;
    }
    if (count < JUDGED_MESSAGES) {
      return warm[kind] ? ENGINE : JDK_PLAIN;
    }
    int n = ++calls[kind];
    if (warm[kind]) {
      return n % RECHECK_EVERY == 0 && jdkPsPerBlock[kind] > 0 ? ENGINE_RECHECK : ENGINE;
    }
    int phase = n % PROBE_EVERY;
    if (phase == 1) {
      return JDK_TIMED;
    }
    if (phase == 0 && jdkPsPerBlock[kind] > 0) {
      long now = System.nanoTime();
      if (now - lastProbe[kind] >= probeSpacing[kind]) {
        lastProbe[kind] = now;
        return ENGINE_PROBE;
      }
    }
    return JDK_PLAIN;
  }

  /**
   * Takes a timed call's {@code nanos} for {@code blocks} 64-byte blocks into the gate of {@code
   * kind}.
   */
  static void timed(int kind, int route, long nanos, long blocks) {
    long ps = nanos * 1000 / Math.max(1, blocks);
    switch (route) {
      case JDK_TIMED -> {
        long prior = jdkPsPerBlock[kind];
        // A moving average over about four calls: one preempted call does not decide.
        jdkPsPerBlock[kind] = prior == 0 ? ps : prior + (ps - prior) / 4;
      }
      case ENGINE_PROBE -> {
        probes++;
        if (probed(kind, ps, jdkPsPerBlock[kind])) {
          wins[kind] = 0;
          warm[kind] = true;
          switches++;
        }
      }
      default -> {
        if (ps > 2 * jdkPsPerBlock[kind]) {
          warm[kind] = false;
          wins[kind] = 0;
          switches++;
        }
      }
    }
  }

  /** A probe of {@code enginePs} per block against the JDK's {@code jdkPs}: whether to open. */
  private static boolean probed(int kind, long enginePs, long jdkPs) {
    if (enginePs < jdkPs) {
      wins[kind]++;
      probeSpacing[kind] = PROBE_NANOS;
    } else {
      wins[kind] = 0;
      probeSpacing[kind] = Math.min(MAX_PROBE_NANOS, 2 * probeSpacing[kind]);
    }
    return wins[kind] >= WINS;
  }

  // ---- the JDK's SHA-256.

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK provides no SHA-256", e);
    }
  }
}
