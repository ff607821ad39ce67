package dev.agentledger.zk.groth16;

import dev.agentledger.zk.ZkInputException;
import dev.agentledger.zk.curve.Bn254Curves;
import dev.agentledger.zk.curve.CurveOps;
import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.field.MontField;
import dev.agentledger.zk.iden3.BinFileWriter;
import dev.agentledger.zk.iden3.R1cs;
import dev.agentledger.zk.ntt.Domain;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * INSECURE development setup: a snarkjs-compatible Groth16 proving key ({@code .zkey}) for a circom
 * {@code .r1cs}, with the toxic waste {@code tau, alpha, beta, gamma, delta} derived from a public
 * seed. Anyone who knows the seed can forge proofs; it exists to benchmark provers on circuits
 * whose powers-of-tau ceremony would take too long, never for keys that protect anything.
 *
 * <p>The key is the one {@code snarkjs groth16 setup} builds from a ceremony with that toxic waste:
 *
 * <ul>
 *   <li>domain {@code n}: the smallest power of two of at least {@code constraints + nPublic + 1};
 *       one extra constraint {@code (w_s) * 0 = 0} per public signal {@code s} (and the constant)
 *       after the circuit's, as snarkjs adds;
 *   <li>{@code u_i, v_i, w_i}: the wire's A, B, C polynomials at {@code tau} through the Lagrange
 *       basis of the domain;
 *   <li>A, B1, B2 ({@code u_i G1, v_i G1, v_i G2}); IC ({@code (beta u_i + alpha v_i + w_i) /
 *       gamma}, public wires) and C (the same over {@code delta}, private wires);
 *   <li>H: {@code L_(2j+1)(tau) / delta} for the odd points of the domain of {@code 2n} (snarkjs's
 *       form: the prover evaluates {@code A B - C} on the odd coset);
 *   <li>coefficients: the A and B terms as {@code value * R^2 mod r}, and the public constraints;
 *   <li>contributions: a zero circuit hash and no contribution.
 * </ul>
 *
 * <p>Every point is a fixed-base windowed scalar multiple ({@link FixedBase}) converted to affine
 * with one inversion per chunk; chunks run on {@code threads} threads.
 */
public final class DevSetup {
  private static final MontField FR = Bn254.FR;
  private static final int CHUNK = 4096;

  /** Toxic waste (Montgomery form). */
  record Toxic(long[] tau, long[] alpha, long[] beta, long[] gamma, long[] delta) {}

  private DevSetup() {}

  /** The toxic waste of {@code seed}: SHA-256 of a label and the seed, twice, reduced mod r. */
  static Toxic toxic(long seed) {
    return new Toxic(
        secret("tau", seed),
        secret("alpha", seed),
        secret("beta", seed),
        secret("gamma", seed),
        secret("delta", seed));
  }

  private static long[] secret(String label, long seed) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] out = new byte[64];
      for (int k = 0; k < 2; k++) {
        md.update(("agentledger insecure dev-setup " + label).getBytes(StandardCharsets.UTF_8));
        md.update(ByteBuffer.allocate(9).putLong(seed).put((byte) k).array());
        System.arraycopy(md.digest(), 0, out, 32 * k, 32);
      }
      BigInteger v = new BigInteger(1, out).mod(Bn254.R);
      if (v.signum() == 0) {
        v = BigInteger.ONE;
      }
      return FR.of(v);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the zkey of {@code r1cs} to {@code out} with the toxic waste of {@code seed}. */
  public static void write(R1cs r1cs, Path out, long seed, int threads) {
    write(r1cs, out, toxic(seed), threads);
  }

  static void write(R1cs r1cs, Path out, Toxic tw, int threads) {
    int nPublic = r1cs.nPublic;
    int nVars = r1cs.nWires;
    long need = (long) r1cs.nConstraints + nPublic + 1;
    int log = 64 - Long.numberOfLeadingZeros(need - 1);
    if (log + 1 > Domain.TWO_ADICITY || log > 27) {
      throw new ZkInputException("circuit too large: a domain of 2^" + log + " is not supported");
    }
    int n = 1 << log;
    long[] lag = lagrange(tw.tau, log, Domain.root(log), n);
    // u, v, w at tau (canonical: a canonical coefficient times a Montgomery value is canonical)
    long[][] uvw = new long[3][4 * nVars];
    long[] t = new long[4];
    for (int m = 0; m < 3; m++) {
      int[] cons = r1cs.constraint(m);
      int[] wire = r1cs.wire(m);
      long[] coef = r1cs.coef(m);
      long[] acc = uvw[m];
      for (int i = 0; i < cons.length; i++) {
        FR.mul(t, 0, coef, 4 * i, lag, 4 * cons[i]);
        FR.add(acc, 4 * wire[i], acc, 4 * wire[i], t, 0);
      }
    }
    for (int s = 0; s <= nPublic; s++) {
      FR.fromMont(t, 0, lag, 4 * (r1cs.nConstraints + s));
      FR.add(uvw[0], 4 * s, uvw[0], 4 * s, t, 0);
    }
    lag = null;
    long[] gammaInv = new long[4];
    long[] deltaInv = new long[4];
    FR.inv(gammaInv, 0, tw.gamma, 0);
    FR.inv(deltaInv, 0, tw.delta, 0);
    // IC (public, over gamma) and C (private, over delta), canonical
    long[] ic = new long[4 * (nPublic + 1)];
    long[] cq = new long[4 * (nVars - nPublic - 1)];
    long[] x = new long[4];
    for (int i = 0; i < nVars; i++) {
      FR.mul(x, 0, tw.beta, 0, uvw[0], 4 * i);
      FR.mul(t, 0, tw.alpha, 0, uvw[1], 4 * i);
      FR.add(x, 0, x, 0, t, 0);
      FR.add(x, 0, x, 0, uvw[2], 4 * i);
      if (i <= nPublic) {
        FR.mul(ic, 4 * i, x, 0, gammaInv, 0);
      } else {
        FR.mul(cq, 4 * (i - nPublic - 1), x, 0, deltaInv, 0);
      }
    }
    long[] h = hScalars(tw.tau, deltaInv, log, n);

    int th = Math.max(1, threads);
    ExecutorService pool =
        th > 1
            ? Executors.newFixedThreadPool(
                th,
                rn -> {
                  Thread y = new Thread(rn, "dev-setup");
                  y.setDaemon(true);
                  return y;
                })
            : null;
    try (BinFileWriter wr = new BinFileWriter(out, "zkey", 1, 10)) {
      wr.beginSection(1, 4);
      wr.putInt(1);
      wr.endSection();
      wr.beginSection(2, 4 + 32 + 4 + 32 + 12 + 3 * 64 + 3 * 128);
      wr.putInt(32);
      wr.putLongs(MontField.toLimbs(Bn254.P), 0, 4);
      wr.putInt(32);
      wr.putLongs(MontField.toLimbs(Bn254.R), 0, 4);
      wr.putInt(nVars);
      wr.putInt(nPublic);
      wr.putInt(n);
      Supplier<CurveOps> g1 = Bn254Curves::g1;
      Supplier<CurveOps> g2 = Bn254Curves::g2;
      wr.putLongs(single(g1, Bn254Curves.G1_GENERATOR, tw.alpha), 0, 8);
      wr.putLongs(single(g1, Bn254Curves.G1_GENERATOR, tw.beta), 0, 8);
      wr.putLongs(single(g2, Bn254Curves.G2_GENERATOR, tw.beta), 0, 16);
      wr.putLongs(single(g2, Bn254Curves.G2_GENERATOR, tw.gamma), 0, 16);
      wr.putLongs(single(g1, Bn254Curves.G1_GENERATOR, tw.delta), 0, 8);
      wr.putLongs(single(g2, Bn254Curves.G2_GENERATOR, tw.delta), 0, 16);
      wr.endSection();

      long total = (long) nVars * 4 + cq.length / 4 + n + ic.length / 4;
      FixedBase fb1 = new FixedBase(g1, Bn254Curves.G1_GENERATOR, FixedBase.window(total));
      writePoints(wr, 3, g1, fb1, ic, pool, th);
      writeCoefficients(wr, r1cs);
      writePoints(wr, 5, g1, fb1, uvw[0], pool, th);
      writePoints(wr, 6, g1, fb1, uvw[1], pool, th);
      FixedBase fb2 = new FixedBase(g2, Bn254Curves.G2_GENERATOR, FixedBase.window(nVars));
      writePoints(wr, 7, g2, fb2, uvw[1], pool, th);
      writePoints(wr, 8, g1, fb1, cq, pool, th);
      writePoints(wr, 9, g1, fb1, h, pool, th);
      wr.beginSection(10, 64 + 4);
      wr.putZeros(64);
      wr.putInt(0);
      wr.endSection();
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  /** {@code L_c(tau) = (tau^n - 1) / n * w^c / (tau - w^c)} for {@code c < n} (Montgomery). */
  private static long[] lagrange(long[] tau, int log, long[] root, int n) {
    long[] pts = new long[4 * n];
    FR.setOne(pts, 0);
    for (int c = 1; c < n; c++) {
      FR.mul(pts, 4 * c, pts, 4 * (c - 1), root, 0);
    }
    long[] zn = vanishingOverSize(tau, log, n);
    return basis(tau, pts, zn, n);
  }

  /** {@code L_(2j+1)(tau) / delta} over the domain of {@code 2n}, canonical. */
  private static long[] hScalars(long[] tau, long[] deltaInv, int log, int n) {
    long[] w = Domain.cosetShift(log);
    long[] w2 = new long[4];
    FR.sqr(w2, 0, w, 0);
    long[] pts = new long[4 * n];
    System.arraycopy(w, 0, pts, 0, 4);
    for (int j = 1; j < n; j++) {
      FR.mul(pts, 4 * j, pts, 4 * (j - 1), w2, 0);
    }
    long[] zn = vanishingOverSize(tau, log + 1, 2 * n);
    FR.mul(zn, 0, zn, 0, deltaInv, 0);
    long[] out = basis(tau, pts, zn, n);
    for (int j = 0; j < n; j++) {
      FR.fromMont(out, 4 * j, out, 4 * j);
    }
    return out;
  }

  /** {@code (tau^size - 1) / size}. */
  private static long[] vanishingOverSize(long[] tau, int log, long size) {
    long[] z = tau.clone();
    for (int i = 0; i < log; i++) {
      FR.sqr(z, 0, z, 0);
    }
    long[] one = new long[4];
    FR.setOne(one, 0);
    FR.sub(z, 0, z, 0, one, 0);
    long[] inv = FR.of(BigInteger.valueOf(size).modInverse(Bn254.R));
    FR.mul(z, 0, z, 0, inv, 0);
    return z;
  }

  /** {@code k * x_i / (tau - x_i)} for each point {@code x_i} (one inversion for all). */
  private static long[] basis(long[] tau, long[] pts, long[] k, int n) {
    long[] den = new long[4 * n];
    long[] prefix = new long[4 * n];
    long[] acc = new long[4];
    FR.setOne(acc, 0);
    for (int i = 0; i < n; i++) {
      FR.sub(den, 4 * i, tau, 0, pts, 4 * i);
      if (FR.isZero(den, 4 * i)) {
        throw new IllegalStateException("tau is a point of the domain: choose another seed");
      }
      FR.mul(acc, 0, acc, 0, den, 4 * i);
      System.arraycopy(acc, 0, prefix, 4 * i, 4);
    }
    long[] inv = new long[4];
    FR.inv(inv, 0, acc, 0);
    long[] out = new long[4 * n];
    long[] di = new long[4];
    for (int i = n - 1; i >= 0; i--) {
      if (i == 0) {
        System.arraycopy(inv, 0, di, 0, 4);
      } else {
        FR.mul(di, 0, inv, 0, prefix, 4 * (i - 1));
      }
      FR.mul(inv, 0, inv, 0, den, 4 * i);
      FR.mul(out, 4 * i, pts, 4 * i, di, 0);
      FR.mul(out, 4 * i, out, 4 * i, k, 0);
    }
    return out;
  }

  private static long[] single(Supplier<CurveOps> curves, long[] gen, long[] scalarMont) {
    CurveOps ops = curves.get();
    long[] j = new long[ops.jacobianSize()];
    long[] r = new long[ops.jacobianSize()];
    ops.fromAffine(j, 0, gen, 0);
    ops.mulPublic(r, 0, j, 0, FR.toBigInteger(scalarMont, 0));
    long[] a = new long[ops.affineSize()];
    ops.toAffine(a, 0, r, 0);
    return a;
  }

  private static void writeCoefficients(BinFileWriter wr, R1cs r1cs) {
    int count = r1cs.terms(0) + r1cs.terms(1) + r1cs.nPublic + 1;
    wr.beginSection(4, 4 + 44L * count);
    wr.putInt(count);
    long[] v = new long[4];
    for (int m = 0; m < 2; m++) {
      int[] cons = r1cs.constraint(m);
      int[] wire = r1cs.wire(m);
      long[] coef = r1cs.coef(m);
      for (int i = 0; i < cons.length; i++) {
        FR.toMont(v, 0, coef, 4 * i);
        FR.toMont(v, 0, v, 0);
        wr.putInt(m);
        wr.putInt(cons[i]);
        wr.putInt(wire[i]);
        wr.putLongs(v, 0, 4);
      }
    }
    FR.setOne(v, 0);
    FR.toMont(v, 0, v, 0);
    for (int s = 0; s <= r1cs.nPublic; s++) {
      wr.putInt(0);
      wr.putInt(r1cs.nConstraints + s);
      wr.putInt(s);
      wr.putLongs(v, 0, 4);
    }
    wr.endSection();
  }

  /** Section {@code type}: {@code k_i G} (affine) for each canonical scalar of {@code scalars}. */
  private static void writePoints(
      BinFileWriter wr,
      int type,
      Supplier<CurveOps> curves,
      FixedBase fb,
      long[] scalars,
      ExecutorService pool,
      int threads) {
    int count = scalars.length / 4;
    int aff = curves.get().affineSize();
    long[] out = new long[count * aff];
    int chunks = (count + CHUNK - 1) / CHUNK;
    Runnable[] tasks = new Runnable[chunks];
    for (int k = 0; k < chunks; k++) {
      int from = k * CHUNK;
      int to = Math.min(count, from + CHUNK);
      tasks[k] =
          () -> {
            CurveOps ops = curves.get();
            int js = ops.jacobianSize();
            long[] jac = new long[(to - from) * js];
            for (int i = from; i < to; i++) {
              fb.mul(ops, jac, (i - from) * js, scalars, 4 * i);
            }
            FixedBase.toAffine(ops, jac, to - from, out, from * aff);
          };
    }
    run(tasks, pool, threads);
    wr.beginSection(type, 8L * out.length);
    wr.putLongs(out, 0, out.length);
    wr.endSection();
  }

  private static void run(Runnable[] tasks, ExecutorService pool, int threads) {
    if (pool == null || threads <= 1 || tasks.length <= 1) {
      for (Runnable r : tasks) {
        r.run();
      }
      return;
    }
    List<Future<?>> fs = new ArrayList<>();
    for (Runnable r : tasks) {
      fs.add(pool.submit(r));
    }
    try {
      for (Future<?> f : fs) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
