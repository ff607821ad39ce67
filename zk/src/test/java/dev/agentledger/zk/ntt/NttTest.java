package dev.agentledger.zk.ntt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.field.MontField;
import java.math.BigInteger;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The NTT against the evaluation of polynomials with BigInteger, on the domain and its coset. */
class NttTest {
  private static final MontField FR = Bn254.FR;
  private static final BigInteger R = Bn254.R;

  private static BigInteger eval(BigInteger[] coef, BigInteger x) {
    BigInteger acc = BigInteger.ZERO;
    for (int i = coef.length - 1; i >= 0; i--) {
      acc = acc.multiply(x).add(coef[i]).mod(R);
    }
    return acc;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 13})
  void forwardEvaluatesAndInverseToCosetMovesToTheCoset(int log) throws Exception {
    int n = 1 << log;
    Random rnd = new Random(log);
    BigInteger[] coef = new BigInteger[n];
    long[] a = new long[4 * n];
    for (int i = 0; i < n; i++) {
      coef[i] = new BigInteger(260, rnd).mod(R);
      FR.fromBigInteger(a, 4 * i, coef[i]);
    }
    BigInteger w = FR.toBigInteger(Domain.root(log), 0);
    BigInteger g = FR.toBigInteger(Domain.cosetShift(log), 0);
    Ntt ntt = new Ntt(log);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      ntt.forward(a, pool, 2);
      for (int i = 0; i < n; i += Math.max(1, n / 16)) {
        assertThat(FR.toBigInteger(a, 4 * i))
            .isEqualTo(eval(coef, w.modPow(BigInteger.valueOf(i), R)));
      }
      // evaluations on H -> coefficients scaled to the coset -> evaluations on g H
      ntt.inverseToCoset(a, Domain.cosetShift(log), pool, 2);
      ntt.forward(a, pool, 2);
      for (int i = 0; i < n; i += Math.max(1, n / 16)) {
        BigInteger x = g.multiply(w.modPow(BigInteger.valueOf(i), R)).mod(R);
        assertThat(FR.toBigInteger(a, 4 * i)).isEqualTo(eval(coef, x));
      }
      ntt.inverse(a, pool, 2);
      ntt.scaleByPowers(a, FR.of(g.modInverse(R)), pool, 2);
      for (int i = 0; i < n; i++) {
        assertThat(FR.toBigInteger(a, 4 * i)).isEqualTo(coef[i]);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 12, 13})
  void inverseScaledWithCosetFactorsEqualsInverseToCoset(int log) throws Exception {
    int n = 1 << log;
    Random rnd = new Random(100 + log);
    long[] a = new long[4 * n];
    for (int i = 0; i < n; i++) {
      FR.fromBigInteger(a, 4 * i, new BigInteger(260, rnd).mod(R));
    }
    long[] b = a.clone();
    long[] shift = Domain.cosetShift(log);
    Ntt ntt = new Ntt(log);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      ntt.inverseToCoset(a, shift, pool, 2);
      ntt.inverseScaled(b, ntt.cosetFactors(shift, pool, 2), null, 1);
      assertThat(b).isEqualTo(a);
      long[] one = new long[4 * n];
      FR.setOne(one, 0);
      ntt.inverse(one, pool, 2);
      // the inverse of the evaluations (1, 0, ..., 0) is the constant 1/n
      for (int i = 0; i < n; i++) {
        assertThat(FR.toBigInteger(one, 4 * i)).isEqualTo(BigInteger.valueOf(n).modInverse(R));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
