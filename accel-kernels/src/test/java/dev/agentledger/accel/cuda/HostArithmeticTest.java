package dev.agentledger.accel.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.accel.Ed25519Cases;
import dev.agentledger.accel.Rfc6962Reference;
import dev.agentledger.accel.Zip215Reference;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shared device headers (the exact functions the CUDA kernels call) compiled for the host by
 * gcc during the build (target/native/libagentledger_accel_host.so), called through FFM and
 * compared with Java references: GF(2^255 - 19) arithmetic with BigInteger, SHA-256 and the RFC
 * 6962 node with MessageDigest, the Ed25519 challenge and ZIP-215 verdicts with the BigInteger
 * reference. This is how CUDA arithmetic is checked where no GPU exists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostArithmeticTest {
  private static final BigInteger P = Zip215Reference.P;
  private Arena arena;
  private MethodHandle feMul, feAdd, feSub, fePow, sha256, node, challenge, verify;
  private final long seed = System.nanoTime();

  @BeforeAll
  void load() {
    String lib =
        System.getProperty(
            "agentledger.accel.hostlib", "target/native/libagentledger_accel_host.so");
    assumeTrue(
        Files.isRegularFile(Path.of(lib)),
        () -> "host build of the kernel headers missing (" + lib + "): gcc absent at build time");
    arena = Arena.ofShared();
    SymbolLookup symbols = SymbolLookup.libraryLookup(Path.of(lib), arena);
    Linker linker = Linker.nativeLinker();
    FunctionDescriptor three =
        FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
    feMul = linker.downcallHandle(symbols.find("al_host_fe_mul").orElseThrow(), three);
    feAdd = linker.downcallHandle(symbols.find("al_host_fe_add").orElseThrow(), three);
    feSub = linker.downcallHandle(symbols.find("al_host_fe_sub").orElseThrow(), three);
    fePow =
        linker.downcallHandle(
            symbols.find("al_host_fe_pow22523").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    sha256 =
        linker.downcallHandle(
            symbols.find("al_host_sha256").orElseThrow(),
            FunctionDescriptor.ofVoid(
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    node = linker.downcallHandle(symbols.find("al_host_merkle_node").orElseThrow(), three);
    challenge =
        linker.downcallHandle(
            symbols.find("al_host_ed25519_challenge").orElseThrow(),
            FunctionDescriptor.ofVoid(
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS));
    verify =
        linker.downcallHandle(
            symbols.find("al_host_ed25519_verify").orElseThrow(),
            FunctionDescriptor.of(
                ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS,
                ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT));
  }

  @AfterAll
  void close() {
    if (arena != null) {
      arena.close();
    }
  }

  private MemorySegment bytes(byte[] b) {
    MemorySegment s = arena.allocate(Math.max(1, b.length));
    MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, b.length);
    return s;
  }

  private static byte[] out(MemorySegment s, int n) {
    return s.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
  }

  private static BigInteger fe(byte[] le) {
    byte[] copy = le.clone();
    copy[31] &= 0x7f;
    return Zip215Reference.scalar(copy);
  }

  /**
   * Random 255-bit encodings, including the non-canonical band [p, 2^255) and limb-boundary values.
   */
  private static byte[] randomFe(Random rnd, int i) {
    BigInteger v =
        switch (i % 6) {
          case 0 -> P.add(BigInteger.valueOf(rnd.nextInt(19))); // non-canonical: p .. p + 18
          case 1 -> P.subtract(BigInteger.ONE).subtract(BigInteger.valueOf(rnd.nextInt(5)));
          case 2 ->
              BigInteger.ONE
                  .shiftLeft(rnd.nextInt(255))
                  .subtract(BigInteger.valueOf(rnd.nextInt(2)));
          default -> new BigInteger(255, rnd);
        };
    return Zip215Reference.littleEndian(v, 32);
  }

  @Test
  void fieldArithmeticMatchesBigInteger() throws Throwable {
    Random rnd = new Random(seed);
    MemorySegment r = arena.allocate(32);
    for (int i = 0; i < 3000; i++) {
      byte[] a = randomFe(rnd, i), b = randomFe(rnd, i / 6 + rnd.nextInt(6));
      BigInteger x = fe(a), y = fe(b);
      MemorySegment sa = bytes(a), sb = bytes(b);
      String note = "seed " + seed + " a=" + x.toString(16) + " b=" + y.toString(16);
      feMul.invokeExact(sa, sb, r);
      assertThat(fe(out(r, 32))).as("mul " + note).isEqualTo(x.multiply(y).mod(P));
      feAdd.invokeExact(sa, sb, r);
      assertThat(fe(out(r, 32))).as("add " + note).isEqualTo(x.add(y).mod(P));
      feSub.invokeExact(sa, sb, r);
      assertThat(fe(out(r, 32))).as("sub " + note).isEqualTo(x.subtract(y).mod(P));
      assertThat(out(r, 32)[31] & 0x80).as("canonical output").isZero();
      if (i % 10 == 0) {
        fePow.invokeExact(sa, r);
        assertThat(fe(out(r, 32)))
            .as("pow22523 " + note)
            .isEqualTo(x.modPow(P.subtract(BigInteger.valueOf(5)).shiftRight(3), P));
      }
    }
  }

  @Test
  void sha256AndMerkleNodeMatchMessageDigest() throws Throwable {
    Random rnd = new Random(seed);
    MemorySegment r = arena.allocate(32);
    for (int len = 0; len < 300; len++) {
      byte[] m = new byte[len];
      rnd.nextBytes(m);
      sha256.invokeExact(bytes(m), len, r);
      assertThat(out(r, 32)).as("len %d seed %d", len, seed).isEqualTo(Rfc6962Reference.sha256(m));
    }
    byte[] left = new byte[32], right = new byte[32];
    rnd.nextBytes(left);
    rnd.nextBytes(right);
    node.invokeExact(bytes(left), bytes(right), r);
    assertThat(out(r, 32)).isEqualTo(Rfc6962Reference.sha256(new byte[] {1}, left, right));
  }

  @Test
  void challengeMatchesSha512ModL() throws Throwable {
    Random rnd = new Random(seed);
    MemorySegment r = arena.allocate(32);
    for (int len : new int[] {0, 1, 47, 48, 63, 64, 111, 112, 127, 128, 200, 1000}) {
      byte[] rb = new byte[32], a = new byte[32], m = new byte[len];
      rnd.nextBytes(rb);
      rnd.nextBytes(a);
      rnd.nextBytes(m);
      challenge.invokeExact(bytes(rb), bytes(a), bytes(m), len, r);
      assertThat(Zip215Reference.scalar(out(r, 32)))
          .as("len %d", len)
          .isEqualTo(Zip215Reference.challenge(rb, a, m));
    }
  }

  @Test
  void ed25519VerdictsMatchTheRules() throws Throwable {
    for (Ed25519Cases.Case c : Ed25519Cases.all(seed, 40)) {
      int verdict =
          (int) verify.invokeExact(bytes(c.pub()), bytes(c.sig()), bytes(c.msg()), c.msg().length);
      assertThat(verdict == 1).as("%s seed %d", c.label(), seed).isEqualTo(c.valid());
    }
  }
}
