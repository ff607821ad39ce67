package dev.agentledger.bench.reference;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

/**
 * libsodium's Ed25519 through the FFM API (java.lang.foreign), as an independent reference for
 * tests and as the speed anchor. Loaded lazily; {@link #load()} reports absence as an empty
 * Optional (with {@link #unavailableReason()}), never by failing class initialisation.
 *
 * <p>libsodium 1.0.18's {@code crypto_sign_verify_detached} is stricter than ZIP-215: it rejects
 * small-order A and R, non-canonical A, and compares the encoding of [S]B - [k]A with the bytes of
 * R (cofactorless). Instances hold native scratch memory and are not thread-safe: use one per
 * thread ({@link #newInstance()}).
 */
public final class LibsodiumEd25519 implements AutoCloseable {
  private static final List<String> NAMES =
      List.of(
          "libsodium.so.23",
          "libsodium.so.26",
          "libsodium.so",
          "/usr/lib/x86_64-linux-gnu/libsodium.so.23");
  private static final int MAX_MESSAGE = 1 << 16;

  private static volatile Handles handles;
  private static volatile String unavailable;

  private record Handles(
      MethodHandle verify, MethodHandle sign, MethodHandle seedKeypair, String library) {}

  private final Arena arena = Arena.ofConfined();
  private final MemorySegment pk = arena.allocate(32);
  private final MemorySegment sk = arena.allocate(64);
  private final MemorySegment sig = arena.allocate(64);
  private final MemorySegment seed = arena.allocate(32);
  private final MemorySegment msg = arena.allocate(MAX_MESSAGE);
  private final Handles h;

  private LibsodiumEd25519(Handles h) {
    this.h = h;
  }

  /** A new instance (own scratch) when libsodium can be loaded. */
  public static Optional<LibsodiumEd25519> load() {
    Handles loaded = handles();
    return loaded == null ? Optional.empty() : Optional.of(new LibsodiumEd25519(loaded));
  }

  /** Same as {@link #load()} for a second thread. */
  public static Optional<LibsodiumEd25519> newInstance() {
    return load();
  }

  /** Why {@link #load()} is empty (null when available). */
  public static String unavailableReason() {
    handles();
    return unavailable;
  }

  /** The library file that was loaded. */
  public String library() {
    return h.library();
  }

  private static synchronized Handles handles() {
    if (handles != null || unavailable != null) {
      return handles;
    }
    StringBuilder why = new StringBuilder();
    for (String name : NAMES) {
      try {
        SymbolLookup lookup = SymbolLookup.libraryLookup(name, Arena.global());
        Linker linker = Linker.nativeLinker();
        MethodHandle init =
            linker.downcallHandle(
                lookup.find("sodium_init").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
        int status = (int) init.invokeExact();
        if (status < 0) {
          why.append(name).append(": sodium_init failed; ");
          continue;
        }
        MethodHandle verify =
            linker.downcallHandle(
                lookup.find("crypto_sign_verify_detached").orElseThrow(),
                FunctionDescriptor.of(
                    ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS));
        MethodHandle sign =
            linker.downcallHandle(
                lookup.find("crypto_sign_detached").orElseThrow(),
                FunctionDescriptor.of(
                    ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG,
                    ValueLayout.ADDRESS));
        MethodHandle seedKeypair =
            linker.downcallHandle(
                lookup.find("crypto_sign_seed_keypair").orElseThrow(),
                FunctionDescriptor.of(
                    ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS));
        handles = new Handles(verify, sign, seedKeypair, name);
        return handles;
      } catch (Throwable e) {
        why.append(name)
            .append(": ")
            .append(e.getClass().getSimpleName())
            .append(' ')
            .append(e.getMessage())
            .append("; ");
      }
    }
    unavailable = "libsodium not loadable (install libsodium23): " + why;
    return null;
  }

  /** crypto_sign_verify_detached == 0. */
  public boolean verify(byte[] publicKey, byte[] signature, byte[] message) {
    return verify(publicKey, 0, signature, 0, message, 0, message.length);
  }

  public boolean verify(
      byte[] publicKey,
      int pkOff,
      byte[] signature,
      int sigOff,
      byte[] message,
      int msgOff,
      int msgLen) {
    if (msgLen > MAX_MESSAGE) {
      throw new IllegalArgumentException("message longer than " + MAX_MESSAGE);
    }
    MemorySegment.copy(publicKey, pkOff, pk, ValueLayout.JAVA_BYTE, 0, 32);
    MemorySegment.copy(signature, sigOff, sig, ValueLayout.JAVA_BYTE, 0, 64);
    MemorySegment.copy(message, msgOff, msg, ValueLayout.JAVA_BYTE, 0, msgLen);
    try {
      return (int) h.verify().invokeExact(sig, msg, (long) msgLen, pk) == 0;
    } catch (Throwable e) {
      throw new IllegalStateException("libsodium call failed", e);
    }
  }

  /** The public key of a seed (crypto_sign_seed_keypair). */
  public byte[] publicKey(byte[] seedBytes) {
    MemorySegment.copy(seedBytes, 0, seed, ValueLayout.JAVA_BYTE, 0, 32);
    try {
      int rc = (int) h.seedKeypair().invokeExact(pk, sk, seed);
      if (rc != 0) {
        throw new IllegalStateException("crypto_sign_seed_keypair: " + rc);
      }
    } catch (Throwable e) {
      throw new IllegalStateException("libsodium call failed", e);
    }
    return pk.toArray(ValueLayout.JAVA_BYTE);
  }

  /** Loads the secret key of {@code seedBytes} for {@link #signPrepared}. */
  public void prepare(byte[] seedBytes) {
    publicKey(seedBytes);
  }

  /** Signs with the key loaded by {@link #prepare} into {@code out[0, 64)}. */
  public void signPrepared(byte[] message, int msgOff, int msgLen, byte[] out) {
    MemorySegment.copy(message, msgOff, msg, ValueLayout.JAVA_BYTE, 0, msgLen);
    try {
      int rc = (int) h.sign().invokeExact(sig, MemorySegment.NULL, msg, (long) msgLen, sk);
      if (rc != 0) {
        throw new IllegalStateException("crypto_sign_detached: " + rc);
      }
    } catch (Throwable e) {
      throw new IllegalStateException("libsodium call failed", e);
    }
    MemorySegment.copy(sig, ValueLayout.JAVA_BYTE, 0, out, 0, 64);
  }

  /** An RFC 8032 signature (crypto_sign_detached with the seed's secret key). */
  public byte[] sign(byte[] seedBytes, byte[] message) {
    publicKey(seedBytes); // fills sk
    MemorySegment.copy(message, 0, msg, ValueLayout.JAVA_BYTE, 0, message.length);
    try {
      int rc = (int) h.sign().invokeExact(sig, MemorySegment.NULL, msg, (long) message.length, sk);
      if (rc != 0) {
        throw new IllegalStateException("crypto_sign_detached: " + rc);
      }
    } catch (Throwable e) {
      throw new IllegalStateException("libsodium call failed", e);
    }
    return sig.toArray(ValueLayout.JAVA_BYTE);
  }

  @Override
  public void close() {
    sk.fill((byte) 0);
    arena.close();
  }
}
