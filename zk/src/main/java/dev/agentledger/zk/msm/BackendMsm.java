package dev.agentledger.zk.msm;

import dev.agentledger.accel.Backend;
import dev.agentledger.accel.LaunchTiming;
import dev.agentledger.zk.curve.Bn254Curves;
import dev.agentledger.zk.curve.CurveOps;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * G1 MSM with the bucket accumulation on an accel {@link Backend} ({@code msm} capability, e.g. the
 * OpenCL kernel {@code msm_bn254.cl}): the host computes the signed digits, sorts the (point, sign)
 * entries of all windows by bucket, the device sums each bucket in Jacobian coordinates, and the
 * host reduces the buckets by running sums and combines the windows. Same inputs and result as
 * {@link Msm#msm}.
 */
public final class BackendMsm {
  private static final int SCALAR_BITS = 254;

  /** The result and the device's timing of the bucket-sum launch. */
  public record Result(long[] sum, LaunchTiming timing) {}

  private BackendMsm() {}

  /** {@code sum k_i P_i} over G1 with the buckets summed on {@code backend}. */
  public static Result msm(Backend backend, long[] points, long[] scalars, int n) {
    CurveOps g1 = Bn254Curves.g1();
    long[] out = new long[12];
    g1.setInfinity(out, 0);
    if (n == 0) {
      return new Result(out, null);
    }
    int c = Msm.windowBits(n);
    int windows = SignedDigits.windows(SCALAR_BITS, c);
    int nb = 1 << (c - 1);
    int[] digits = new int[windows * n];
    SignedDigits.compute(scalars, n, c, windows, 0, n, digits);
    int buckets = windows * nb;
    int[] count = new int[buckets + 1];
    int entryCount = 0;
    for (int w = 0; w < windows; w++) {
      for (int i = 0; i < n; i++) {
        int d = digits[w * n + i];
        if (d != 0) {
          count[w * nb + Math.abs(d) - 1]++;
          entryCount++;
        }
      }
    }
    ByteBuffer starts = ByteBuffer.allocateDirect(4 * (buckets + 1)).order(ByteOrder.LITTLE_ENDIAN);
    int[] next = new int[buckets];
    int pos = 0;
    for (int b = 0; b < buckets; b++) {
      starts.putInt(4 * b, pos);
      next[b] = pos;
      pos += count[b];
    }
    starts.putInt(4 * buckets, pos);
    ByteBuffer entries =
        ByteBuffer.allocateDirect(Math.max(4, 4 * entryCount)).order(ByteOrder.LITTLE_ENDIAN);
    for (int w = 0; w < windows; w++) {
      for (int i = 0; i < n; i++) {
        int d = digits[w * n + i];
        if (d != 0) {
          int b = w * nb + Math.abs(d) - 1;
          entries.putInt(4 * next[b]++, (i << 1) | (d < 0 ? 1 : 0));
        }
      }
    }
    ByteBuffer pts = ByteBuffer.allocateDirect(64 * n).order(ByteOrder.LITTLE_ENDIAN);
    pts.asLongBuffer().put(points, 0, 8 * n);
    ByteBuffer sums = ByteBuffer.allocateDirect(96 * buckets).order(ByteOrder.LITTLE_ENDIAN);
    LaunchTiming timing =
        backend.msmBn254G1Buckets(pts, n, entries, entryCount, starts, buckets, sums).join();
    long[] s = new long[12 * buckets];
    sums.asLongBuffer().get(s);
    long[] run = new long[12];
    long[] total = new long[12];
    for (int w = windows - 1; w >= 0; w--) {
      for (int k = 0; k < c && w < windows - 1; k++) {
        g1.dbl(out, 0, out, 0);
      }
      g1.setInfinity(run, 0);
      g1.setInfinity(total, 0);
      for (int b = nb - 1; b >= 0; b--) {
        g1.add(run, 0, run, 0, s, 12 * (w * nb + b));
        g1.add(total, 0, total, 0, run, 0);
      }
      g1.add(out, 0, out, 0, total, 0);
    }
    return new Result(out, timing);
  }
}
