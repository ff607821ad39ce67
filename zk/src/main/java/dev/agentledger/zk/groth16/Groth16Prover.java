package dev.agentledger.zk.groth16;

import dev.agentledger.zk.ZkInputException;
import dev.agentledger.zk.curve.Bn254Curves;
import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.field.MontField;
import dev.agentledger.zk.iden3.Zkey;
import dev.agentledger.zk.msm.Msm;
import dev.agentledger.zk.ntt.Domain;
import dev.agentledger.zk.ntt.Ntt;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Groth16 prover of snarkjs's {@code groth16 prove}, on a zkey and a circom witness.
 *
 * <ol>
 *   <li>Evaluations of A and B on the domain: {@code A_c = sum coef * w_s} over the zkey's
 *       coefficients; {@code C_c = A_c B_c}.
 *   <li>For each of A, B, C: inverse NTT to coefficients, multiply by powers of the coset shift,
 *       NTT: the evaluations on the odd coset, where the vanishing polynomial is constant, so that
 *       the zkey's H points (which absorb its inverse) take {@code A B - C} there directly.
 *   <li>MSMs: {@code A = sum w_i A_i}, {@code B1}, {@code B2} (G2) likewise, and {@code C + H} as
 *       one MSM over the private signals' C points and the H points with the coset values (the
 *       proof needs only their sum). B2 needs only the witness: it runs on a second thread from the
 *       start, beside steps 1 and 2 and the G1 MSMs.
 *   <li>Blinding with random {@code r, s}: {@code pi_a = A + alpha1 + r delta1}, {@code pi_b = B2 +
 *       beta2 + s delta2}, {@code pi_c = (C + H) + s pi_a + r (B1 + beta1 + s delta1) - r s
 *       delta1}.
 * </ol>
 */
public final class Groth16Prover {
  private static final MontField FR = Bn254.FR;

  /**
   * A proof with its public signals and the wall time of each phase in milliseconds, in order
   * (coefficients, NTT, and each MSM with the read and check of its points).
   */
  public record Output(Proof proof, BigInteger[] publicSignals, Map<String, Double> phasesMs) {}

  private Groth16Prover() {}

  /**
   * A G1 multi-scalar multiplication: {@code sum k_i P_i} over {@code n} affine Montgomery points
   * and canonical scalars (as {@link Msm#msm}), returned as a Jacobian point (12 longs).
   */
  @FunctionalInterface
  public interface G1Msm {
    /** The sum. */
    long[] msm(long[] points, long[] scalars, int n);
  }

  /**
   * The CPU Pippenger of {@link Msm} on {@code threads} threads. The prover gives its MSMs the lane
   * path ({@code Fp29x8}) only when the proof's domain has at least {@link #LANE_MIN_DOMAIN}
   * points: in a fresh JVM (one {@code zk prove}) the JIT spends several seconds of CPU before the
   * lane code runs fast, and the scalar path finishes the MSMs of a smaller proof sooner (measured
   * on AVX-512 and on AVX2: a cold proof of a 2^16 domain took about 40% more CPU with the lanes).
   */
  public static G1Msm cpuMsm(int threads) {
    return new CpuMsm(threads, 0);
  }

  /**
   * System property overriding {@link #LANE_MIN_DOMAIN}: a number of points (a power of two or
   * not), for comparisons.
   */
  public static final String LANE_MIN_DOMAIN_PROPERTY = "agentledger.zk.prove.laneMinDomain";

  /** Smallest domain whose proof runs its G1 MSMs on the lane path (see {@link #cpuMsm}). */
  public static final int LANE_MIN_DOMAIN = Integer.getInteger(LANE_MIN_DOMAIN_PROPERTY, 1 << 18);

  /** {@link #cpuMsm}: the lane path from {@code laneMinPoints} points. */
  private record CpuMsm(int threads, int laneMinPoints) implements G1Msm {
    @Override
    public long[] msm(long[] points, long[] scalars, int n) {
      long[] out = new long[12];
      Msm.msm(Msm.Group.G1, points, scalars, n, threads, out, laneMinPoints);
      return out;
    }

    CpuMsm forDomain(int domainSize) {
      return new CpuMsm(threads, domainSize >= LANE_MIN_DOMAIN ? 0 : Integer.MAX_VALUE);
    }
  }

  /** Proves with {@code threads} threads and fresh blinding from {@link SecureRandom}. */
  public static Output prove(Zkey z, long[] witness, int threads) {
    return prove(z, witness, threads, new SecureRandom());
  }

  /** Proves with the given randomness source for the blinding scalars. */
  public static Output prove(Zkey z, long[] witness, int threads, java.util.Random rnd) {
    return prove(z, witness, threads, rnd, cpuMsm(Math.max(1, threads)));
  }

  /**
   * Proves with the G1 MSMs (A, B1, C, H) on {@code g1}; the G2 MSM (B2) runs on the CPU with
   * {@code threads} threads, as do the NTTs.
   */
  public static Output prove(Zkey z, long[] witness, int threads, java.util.Random rnd, G1Msm msm) {
    int nVars = z.nVars;
    G1Msm g1msm = msm instanceof CpuMsm cpu ? cpu.forDomain(z.domainSize) : msm;
    if (witness.length / 4 != nVars) {
      throw new ZkInputException(
          "witness has " + witness.length / 4 + " values, the zkey expects " + nVars);
    }
    Map<String, Double> phases = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    int th = Math.max(1, threads);
    Side side = new Side(z, witness, th);
    side.start();
    int n = z.domainSize;
    int log = Integer.numberOfTrailingZeros(n);
    long[] a = new long[4 * n];
    long[] b = new long[4 * n];
    long[] c = new long[4 * n];
    evaluate(z.coefficients(), witness, a, b, c, n);
    t0 = lap(phases, "abc", t0);
    // the scalars of the C+H MSM: h's coset values first, then the private witness values
    int priv = nVars - z.nPublic - 1;
    long[] chScalars = new long[4 * (n + priv)];
    ExecutorService pool =
        th > 1
            ? Executors.newFixedThreadPool(
                th,
                r -> {
                  Thread x = new Thread(r, "ntt");
                  x.setDaemon(true);
                  return x;
                })
            : null;
    try {
      Ntt ntt = new Ntt(log);
      long[] factors = ntt.cosetFactors(Domain.cosetShift(log), pool, th);
      for (long[] v : new long[][] {a, b, c}) {
        ntt.inverseScaled(v, factors, pool, th);
        ntt.forward(v, pool, th);
      }
      quotient(a, b, c, chScalars, n);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    a = null;
    b = null;
    c = null;
    t0 = lap(phases, "ntt", t0);

    CurveOps g1 = Bn254Curves.g1();
    CurveOps g2 = Bn254Curves.g2();
    long[] piA = sparse(g1msm, z.pointsA(), witness, nVars);
    t0 = lap(phases, "msm A", t0);
    long[] pib1 = sparse(g1msm, z.pointsB1(), witness, nVars);
    t0 = lap(phases, "msm B1", t0);
    // C and H in one MSM: pi_c takes only their sum, and one Pippenger over all the terms does
    // fewer additions than two (the bucket sums are paid once per window, not twice)
    long[] chPoints = new long[8 * (n + priv)];
    z.pointsHInto(chPoints, 0);
    z.pointsCInto(chPoints, 8 * n);
    System.arraycopy(witness, 4 * (z.nPublic + 1), chScalars, 4 * n, 4 * priv);
    int keptC = compactLive(chPoints, chScalars, n, priv);
    long[] piC = g1msm.msm(chPoints, chScalars, n + keptC);
    chPoints = null;
    chScalars = null;
    t0 = lap(phases, "msm C+H", t0);
    side.await();
    t0 = lap(phases, "wait B2", t0);
    phases.putAll(side.phases);
    long[] piB = side.b2;

    BigInteger r = new BigInteger(300, rnd).mod(Bn254.R);
    BigInteger s = new BigInteger(300, rnd).mod(Bn254.R);
    long[] tmp = new long[24];
    long[] delta1 = jac(g1, z.delta1);
    // pi_a = A + alpha1 + r delta1
    g1.addAffine(piA, 0, piA, 0, z.alpha1, 0);
    g1.mul(tmp, 0, delta1, 0, r);
    g1.add(piA, 0, piA, 0, tmp, 0);
    // pi_b = B2 + beta2 + s delta2
    g2.addAffine(piB, 0, piB, 0, z.beta2, 0);
    g2.mul(tmp, 0, jac(g2, z.delta2), 0, s);
    g2.add(piB, 0, piB, 0, tmp, 0);
    // pib1 = B1 + beta1 + s delta1
    g1.addAffine(pib1, 0, pib1, 0, z.beta1, 0);
    g1.mul(tmp, 0, delta1, 0, s);
    g1.add(pib1, 0, pib1, 0, tmp, 0);
    // pi_c = (C + H) + s pi_a + r pib1 - r s delta1
    g1.mul(tmp, 0, piA, 0, s);
    g1.add(piC, 0, piC, 0, tmp, 0);
    g1.mul(tmp, 0, pib1, 0, r);
    g1.add(piC, 0, piC, 0, tmp, 0);
    g1.mul(tmp, 0, delta1, 0, Bn254.R.subtract(r.multiply(s).mod(Bn254.R)));
    g1.add(piC, 0, piC, 0, tmp, 0);

    long[] outA = new long[8];
    long[] outB = new long[16];
    long[] outC = new long[8];
    g1.toAffine(outA, 0, piA, 0);
    g2.toAffine(outB, 0, piB, 0);
    g1.toAffine(outC, 0, piC, 0);
    BigInteger[] pub = new BigInteger[z.nPublic];
    for (int i = 0; i < pub.length; i++) {
      pub[i] = MontField.fromLimbs(witness, 4 * (i + 1));
    }
    lap(phases, "blind", t0);
    return new Output(new Proof(outA, outB, outC), pub, phases);
  }

  /**
   * {@code A_c}, {@code B_c} (the sums of the zkey's coefficients times the witness values, in
   * Montgomery form) and {@code C_c = A_c B_c} for each constraint {@code c < n}.
   */
  private static void evaluate(
      Zkey.Coefficients co, long[] witness, long[] a, long[] b, long[] c, int n) {
    long[] t = new long[4];
    int[] matrix = co.matrix();
    int[] constraint = co.constraint();
    int[] signal = co.signal();
    long[] values = co.values();
    for (int i = 0; i < matrix.length; i++) {
      long[] dst = matrix[i] == 0 ? a : b;
      int k = 4 * constraint[i];
      FR.mul(t, 0, values, 4 * i, witness, 4 * signal[i]);
      FR.add(dst, k, dst, k, t, 0);
    }
    for (int i = 0; i < n; i++) {
      FR.mul(c, 4 * i, a, 4 * i, b, 4 * i);
    }
  }

  /**
   * The MSM scalars of H: {@code A_i B_i - C_i} on the coset, canonical (out of Montgomery form),
   * into {@code out} from index 0.
   */
  private static void quotient(long[] a, long[] b, long[] c, long[] out, int n) {
    for (int i = 0; i < n; i++) {
      int k = 4 * i;
      FR.mul(out, k, a, k, b, k);
      FR.sub(out, k, out, k, c, k);
      FR.fromMont(out, k, out, k);
    }
  }

  /**
   * Moves the terms {@code from .. from+count-1} whose point is not infinity and whose scalar is
   * not zero to the front of that range, in order; returns how many there are.
   */
  private static int compactLive(long[] points, long[] scalars, int from, int count) {
    int j = from;
    for (int i = from; i < from + count; i++) {
      if (live(points, scalars, i, 8)) {
        if (i != j) {
          System.arraycopy(points, 8 * i, points, 8 * j, 8);
          System.arraycopy(scalars, 4 * i, scalars, 4 * j, 4);
        }
        j++;
      }
    }
    return j - from;
  }

  /**
   * The G2 MSM B2 (it needs only the witness) on a thread of its own from the start of the proof,
   * beside the A/B/C evaluations, the NTTs and the G1 MSMs.
   */
  private static final class Side extends Thread {
    private final Zkey z;
    private final long[] witness;
    private final int threads;
    final Map<String, Double> phases = new LinkedHashMap<>();
    long[] b2;
    private volatile RuntimeException failure;

    Side(Zkey z, long[] witness, int threads) {
      super("groth16-b2");
      setDaemon(true);
      this.z = z;
      this.witness = witness;
      this.threads = threads;
    }

    @Override
    public void run() {
      try {
        long t0 = System.nanoTime();
        // the G2 MSM through the same (points, scalars, n) -> Jacobian shape, on the CPU
        b2 =
            sparse(
                (p, k, m) -> {
                  long[] out = new long[24];
                  Msm.msm(Msm.Group.G2, p, k, m, threads, out);
                  return out;
                },
                z.pointsB2(),
                witness,
                z.nVars,
                16);
        lap(phases, "msm B2 (beside)", t0);
      } catch (RuntimeException e) {
        failure = e;
      }
    }

    /** Waits for the sum; rethrows what the thread threw (a bad point is a bad input). */
    void await() {
      boolean interrupted = false;
      while (true) {
        try {
          join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  /**
   * The MSM over the terms whose point is not infinity and whose scalar is not zero (circuits leave
   * many wires out of A or B, and many witness values are 0): fewer points, same sum.
   */
  private static long[] sparse(G1Msm m, long[] points, long[] scalars, int n) {
    return sparse(m, points, scalars, n, 8);
  }

  /** As {@link #sparse(G1Msm, long[], long[], int)} for affine points of {@code width} longs. */
  private static long[] sparse(G1Msm m, long[] points, long[] scalars, int n, int width) {
    int kept = 0;
    for (int i = 0; i < n; i++) {
      if (live(points, scalars, i, width)) {
        kept++;
      }
    }
    if (kept == n) {
      return m.msm(points, scalars, n);
    }
    long[] p = new long[width * kept];
    long[] k = new long[4 * kept];
    int j = 0;
    for (int i = 0; i < n; i++) {
      if (live(points, scalars, i, width)) {
        System.arraycopy(points, width * i, p, width * j, width);
        System.arraycopy(scalars, 4 * i, k, 4 * j, 4);
        j++;
      }
    }
    return m.msm(p, k, kept);
  }

  private static boolean live(long[] points, long[] scalars, int i, int width) {
    long s = scalars[4 * i] | scalars[4 * i + 1] | scalars[4 * i + 2] | scalars[4 * i + 3];
    long p = 0;
    for (int x = 0; x < width; x++) {
      p |= points[width * i + x];
    }
    return s != 0 && p != 0;
  }

  private static long lap(Map<String, Double> phases, String name, long since) {
    long now = System.nanoTime();
    phases.put(name, (now - since) / 1e6);
    return now;
  }

  private static long[] jac(CurveOps c, long[] affine) {
    long[] j = new long[c.jacobianSize()];
    c.fromAffine(j, 0, affine, 0);
    return j;
  }
}
