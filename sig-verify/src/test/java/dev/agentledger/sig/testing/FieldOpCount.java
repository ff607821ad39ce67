package dev.agentledger.sig.testing;

import dev.agentledger.sig.Ed25519;
import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.batch.CpuBatchVerifier;
import dev.agentledger.sig.curve25519.Fe;
import dev.agentledger.sig.curve25519.Fe8;
import java.util.Random;

/**
 * Prints field operations per verification (single and batch at several sizes). Run with {@code
 * -Dagentledger.fe.count=true}: java -Dagentledger.fe.count=true -cp ... FieldOpCount
 */
public final class FieldOpCount {
  private FieldOpCount() {}

  public static void main(String[] args) {
    int max = 4096;
    Random random = new Random(1);
    byte[][] pk = new byte[max][];
    byte[][] sig = new byte[max][];
    byte[][] msg = new byte[max][];
    for (int i = 0; i < max; i++) {
      byte[] seed = new byte[32];
      random.nextBytes(seed);
      msg[i] = new byte[300];
      random.nextBytes(msg[i]);
      pk[i] = Ed25519.publicKey(seed);
      sig[i] = Ed25519.sign(seed, msg[i]);
    }
    long[] a = Fe.counts();
    for (int i = 0; i < 1000; i++) {
      Ed25519.verify(pk[i], sig[i], msg[i]);
    }
    long[] b = Fe.counts();
    System.out.printf(
        "single verify: %.0f mul + %.0f sq per signature%n",
        (b[0] - a[0]) / 1000.0, (b[1] - a[1]) / 1000.0);
    CpuBatchVerifier verifier = new CpuBatchVerifier();
    for (int n : new int[] {64, 256, 1024, 4096}) {
      SignatureBatch batch = new SignatureBatch(n);
      for (int i = 0; i < n; i++) {
        batch.add(pk[i], sig[i], msg[i]);
      }
      long[] c = Fe.counts();
      long[] c8 = Fe8.counts();
      verifier.verify(batch, new boolean[n]);
      long[] d = Fe.counts();
      long[] d8 = Fe8.counts();
      System.out.printf(
          "batch %4d: %.0f mul + %.0f sq scalar, %.1f mul + %.1f sq eight-lane (x8 lanes) per signature%n",
          n,
          (d[0] - c[0]) / (double) n,
          (d[1] - c[1]) / (double) n,
          (d8[0] - c8[0]) / (double) n,
          (d8[1] - c8[1]) / (double) n);
    }
  }
}
