package dev.agentledger.accel.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.junit.jupiter.api.Test;

/**
 * The BN254 field of the MSM kernels (common/bn254.h), built for the host by gcc, against
 * BigInteger: the Montgomery product {@code a b / 2^256 mod p} on random reduced inputs.
 */
class Bn254HostArithmeticTest {
  private static final BigInteger P =
      new BigInteger(
          "21888242871839275222246405745257275088696311157297823662689037894645226208583");

  private static long[] limbs(BigInteger v) {
    long[] r = new long[4];
    for (int i = 0; i < 4; i++) {
      r[i] = v.shiftRight(64 * i).longValue();
    }
    return r;
  }

  private static BigInteger value(long[] l) {
    BigInteger r = BigInteger.ZERO;
    for (int i = 3; i >= 0; i--) {
      r = r.shiftLeft(64).or(new BigInteger(Long.toUnsignedString(l[i])));
    }
    return r;
  }

  @Test
  void montgomeryProductMatchesBigInteger() throws Throwable {
    String lib =
        System.getProperty(
            "agentledger.accel.hostlib", "target/native/libagentledger_accel_host.so");
    assumeTrue(Files.isRegularFile(Path.of(lib)), () -> "host build missing (" + lib + ")");
    try (Arena arena = Arena.ofConfined()) {
      SymbolLookup symbols = SymbolLookup.libraryLookup(Path.of(lib), arena);
      MethodHandle mul =
          Linker.nativeLinker()
              .downcallHandle(
                  symbols.find("al_host_bn254_fp_mul").orElseThrow(),
                  FunctionDescriptor.ofVoid(
                      ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
      BigInteger rInv = BigInteger.ONE.shiftLeft(256).modInverse(P);
      Random rnd = new Random(5);
      MemorySegment a = arena.allocate(32);
      MemorySegment b = arena.allocate(32);
      MemorySegment out = arena.allocate(32);
      for (int i = 0; i < 2000; i++) {
        BigInteger x = i == 0 ? P.subtract(BigInteger.ONE) : new BigInteger(260, rnd).mod(P);
        BigInteger y = i == 1 ? P.subtract(BigInteger.ONE) : new BigInteger(260, rnd).mod(P);
        MemorySegment.copy(limbs(x), 0, a, ValueLayout.JAVA_LONG, 0, 4);
        MemorySegment.copy(limbs(y), 0, b, ValueLayout.JAVA_LONG, 0, 4);
        mul.invokeExact(a, b, out);
        long[] r = out.toArray(ValueLayout.JAVA_LONG);
        assertThat(value(r)).isEqualTo(x.multiply(y).multiply(rInv).mod(P));
      }
    }
  }
}
