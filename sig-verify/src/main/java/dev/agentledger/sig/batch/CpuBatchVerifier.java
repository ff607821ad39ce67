package dev.agentledger.sig.batch;

import dev.agentledger.sig.BatchVerifier;
import dev.agentledger.sig.SignatureBatch;
import dev.agentledger.sig.curve25519.BaseTables;
import dev.agentledger.sig.curve25519.BatchDecompressor;
import dev.agentledger.sig.curve25519.Ed25519Context;
import dev.agentledger.sig.curve25519.ExtendedPoint;
import dev.agentledger.sig.curve25519.Fe8;
import dev.agentledger.sig.curve25519.MultiScalarMul;
import dev.agentledger.sig.curve25519.NielsPoint;
import dev.agentledger.sig.curve25519.PointOps;
import dev.agentledger.sig.curve25519.Scalar25519;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * CPU batch verification (random linear combination, one multi-scalar multiplication, bisection on
 * failure). Not thread-safe: one instance per thread; scratch grows to the largest batch seen and
 * is reused, so steady-state verification allocates nothing.
 */
public final class CpuBatchVerifier implements BatchVerifier {
  /** Ranges at most this long are verified item by item during bisection. */
  public static final int SINGLE_THRESHOLD = 2;

  private static final byte[] ZERO32 = new byte[32];

  private final SecureRandom random;
  private final Ed25519Context context = new Ed25519Context();
  private final PointOps ops = context.ops();
  private final Scalar25519 scalars = context.scalars();
  private final MultiScalarMul msm;
  private final BatchDecompressor decompressor;
  private final ExtendedPoint sum = new ExtendedPoint();
  private final byte[] bScalar = new byte[32];

  private int capacity;
  private int[] live = new int[0]; // batch indexes of items that decoded
  private int[] candidateIndex = new int[0]; // batch indexes of items with S < L
  private byte[][] encodings = new byte[0][]; // A, R encodings of the candidates
  private int[] offsets = new int[0];
  private ExtendedPoint[] decodedPoints = new ExtendedPoint[0];
  private boolean[] decodedOk = new boolean[0];
  private NielsPoint[] pointA = new NielsPoint[0];
  private NielsPoint[] pointR = new NielsPoint[0];
  private final PublicKeyCache keyCache; // null: off
  private boolean[] cachedA = new boolean[0]; // per candidate: A came from the key cache
  private int[] decodeR = new int[0]; // per candidate: R's index in the decompression queue
  private static final int RANDOM_CHUNK_ITEMS = 64;
  // 16 random bytes an item, drawn for up to RANDOM_CHUNK_ITEMS items at a time into the smallest
  // of these that holds them (16 * 2^k bytes): a batch of three signatures draws 64 bytes, not 1 KB
  private final byte[][] freshBySize = freshArrays();
  private byte[] ks = new byte[0]; // k = H(R || A || M) mod L
  private byte[] z = new byte[0]; // 32 bytes per live item, top 16 zero
  private byte[] zk = new byte[0]; // z k mod L
  private byte[] zs = new byte[0]; // z S mod L
  private NielsPoint[] msmPoints = new NielsPoint[0];
  private byte[] msmScalars = new byte[0];
  private long batches;
  private long bisections;

  private static byte[][] freshArrays() {
    int sizes = Integer.numberOfTrailingZeros(RANDOM_CHUNK_ITEMS) + 1;
    byte[][] arrays = new byte[sizes][];
    for (int k = 0; k < sizes; k++) {
      arrays[k] = new byte[16 << k];
    }
    return arrays;
  }

  /** The smallest random-bytes array that holds {@code items} (1..RANDOM_CHUNK_ITEMS) items. */
  private byte[] freshFor(int items) {
    return freshBySize[32 - Integer.numberOfLeadingZeros(items - 1)];
  }

  public CpuBatchVerifier() {
    this(new SecureRandom());
  }

  /** With a given CSPRNG (tests may pass a seeded DRBG; never a non-cryptographic RNG). */
  public CpuBatchVerifier(SecureRandom random) {
    this(random, Fe8.NATIVE);
  }

  /**
   * {@code lanes}: decompression and Pippenger's bucket phase on eight vector lanes ({@link Fe8};
   * the default where this CPU runs 512-bit vectors natively) or with the scalar formulas. Both
   * give the same verdicts.
   */
  public CpuBatchVerifier(SecureRandom random, boolean lanes) {
    this(random, lanes, PublicKeyCache.configuredEntries());
  }

  /**
   * {@code keyCacheEntries}: slots of the {@link PublicKeyCache} of decompressed public keys (a
   * power of two; 0: no cache, every A is decompressed). Same verdicts either way.
   */
  public CpuBatchVerifier(SecureRandom random, boolean lanes, int keyCacheEntries) {
    this.random = random;
    this.msm = new MultiScalarMul(ops, lanes);
    this.decompressor = new BatchDecompressor(lanes);
    this.keyCache = keyCacheEntries == 0 ? null : new PublicKeyCache(keyCacheEntries);
  }

  @Override
  public String name() {
    return "cpu";
  }

  /** The cache of decompressed public keys, or null when it is off. */
  public PublicKeyCache keyCache() {
    return keyCache;
  }

  /** Batches whose multi-scalar check failed at least once (for metrics). */
  public long bisections() {
    return bisections;
  }

  @Override
  public int verify(SignatureBatch batch, boolean[] verdicts) {
    int n = batch.size();
    ensureCapacity(n);
    batches++;
    // pass 1: S < L; A from the key cache (into pointA[c]) or queued for decompression (at
    // decodeR[c] - 1), R queued
    int candidates = 0;
    int queued = 0;
    for (int i = 0; i < n; i++) {
      verdicts[i] = false;
      byte[] sig = batch.signature(i);
      int sigOff = batch.signatureOffset(i);
      if (!Scalar25519.isCanonical(sig, sigOff + 32)) {
        continue;
      }
      int c = candidates++;
      byte[] key = batch.publicKey(i);
      int keyOff = batch.publicKeyOffset(i);
      cachedA[c] = keyCache != null && keyCache.lookup(key, keyOff, pointA[c]);
      if (!cachedA[c]) {
        encodings[queued] = key;
        offsets[queued++] = keyOff;
      }
      decodeR[c] = queued;
      encodings[queued] = sig;
      offsets[queued++] = sigOff;
      candidateIndex[c] = i;
    }
    decompressor.decompress(encodings, offsets, queued, decodedPoints, decodedOk);
    Arrays.fill(encodings, 0, queued, null);
    // pass 2: items whose A and R decoded join the batch equation (count <= c: pointA[count] is
    // written only after pointA[c] was read)
    int count = 0;
    for (int c = 0; c < candidates; c++) {
      int r = decodeR[c];
      boolean aOk = cachedA[c] || decodedOk[r - 1];
      if (!aOk || !decodedOk[r]) {
        continue;
      }
      int i = candidateIndex[c];
      if (cachedA[c]) {
        if (count != c) {
          pointA[count].set(pointA[c]);
        }
      } else {
        ops.nielsFromDecoded(pointA[count], decodedPoints[r - 1]);
        if (keyCache != null) {
          keyCache.insert(batch.publicKey(i), batch.publicKeyOffset(i), pointA[count]);
        }
      }
      ops.nielsFromDecoded(pointR[count], decodedPoints[r]);
      context.challenge(
          batch.signature(i),
          batch.signatureOffset(i),
          batch.publicKey(i),
          batch.publicKeyOffset(i),
          batch.message(i),
          batch.messageOffset(i),
          batch.messageLength(i),
          ks,
          32 * count);
      live[count] = i;
      count++;
    }
    if (count == 0) {
      return 0;
    }
    // z_i: 128 random bits each (zero-extended to 32 bytes)
    byte[] fresh = null;
    for (int j = 0; j < count; j++) {
      int i = live[j];
      if ((j & (RANDOM_CHUNK_ITEMS - 1)) == 0) {
        fresh = freshFor(Math.min(RANDOM_CHUNK_ITEMS, count - j));
        random.nextBytes(fresh); // 16 random bytes for each of the next items, up to a chunk
      }
      System.arraycopy(fresh, 16 * (j & (RANDOM_CHUNK_ITEMS - 1)), z, 32 * j, 16);
      scalars.mulAdd(zk, 32 * j, z, 32 * j, ks, 32 * j, ZERO32, 0);
      scalars.mulAdd(
          zs, 32 * j, z, 32 * j, batch.signature(i), batch.signatureOffset(i) + 32, ZERO32, 0);
    }
    int valid = 0;
    if (check(0, count)) {
      for (int j = 0; j < count; j++) {
        verdicts[live[j]] = true;
      }
      return count;
    }
    bisections++;
    bisect(batch, verdicts, 0, count, true);
    for (int j = 0; j < count; j++) {
      valid += verdicts[live[j]] ? 1 : 0;
    }
    return valid;
  }

  /** Resolves live items [lo, hi); knownFail: the range is known to contain an invalid item. */
  private void bisect(SignatureBatch batch, boolean[] verdicts, int lo, int hi, boolean knownFail) {
    int len = hi - lo;
    if (len == 0) {
      return;
    }
    if (len <= SINGLE_THRESHOLD) {
      for (int j = lo; j < hi; j++) {
        int i = live[j];
        verdicts[i] =
            context.verify(
                batch.publicKey(i),
                batch.publicKeyOffset(i),
                batch.signature(i),
                batch.signatureOffset(i),
                batch.message(i),
                batch.messageOffset(i),
                batch.messageLength(i));
      }
      return;
    }
    if (!knownFail && check(lo, hi)) {
      for (int j = lo; j < hi; j++) {
        verdicts[live[j]] = true;
      }
      return;
    }
    int mid = lo + len / 2;
    if (check(lo, mid)) {
      for (int j = lo; j < mid; j++) {
        verdicts[live[j]] = true;
      }
      bisect(batch, verdicts, mid, hi, true);
    } else {
      bisect(batch, verdicts, lo, mid, true);
      bisect(batch, verdicts, mid, hi, false);
    }
  }

  /** The batch equation over live items [lo, hi). */
  private boolean check(int lo, int hi) {
    int m = 0;
    System.arraycopy(ZERO32, 0, bScalar, 0, 32);
    for (int j = lo; j < hi; j++) {
      msmPoints[m] = pointR[j];
      System.arraycopy(z, 32 * j, msmScalars, 32 * m, 32);
      m++;
      msmPoints[m] = pointA[j];
      System.arraycopy(zk, 32 * j, msmScalars, 32 * m, 32);
      m++;
      scalars.add(bScalar, 0, bScalar, 0, zs, 32 * j);
    }
    msmPoints[m] = BaseTables.baseNiels();
    scalars.negate(msmScalars, 32 * m, bScalar, 0);
    m++;
    msm.multiply(sum, msmPoints, msmScalars, m);
    return ops.isSmallOrderTimes8Identity(sum);
  }

  private void ensureCapacity(int n) {
    if (n <= capacity) {
      return;
    }
    live = new int[n];
    candidateIndex = new int[n];
    cachedA = new boolean[n];
    decodeR = new int[n];
    encodings = new byte[2 * n][];
    offsets = new int[2 * n];
    decodedOk = new boolean[2 * n];
    ExtendedPoint[] grownPoints = Arrays.copyOf(decodedPoints, 2 * n);
    for (int i = decodedPoints.length; i < 2 * n; i++) {
      grownPoints[i] = new ExtendedPoint();
    }
    decodedPoints = grownPoints;
    pointA = grow(pointA, n);
    pointR = grow(pointR, n);
    ks = new byte[32 * n];
    z = new byte[32 * n]; // the top 16 bytes of each entry stay zero
    zk = new byte[32 * n];
    zs = new byte[32 * n];
    msmPoints = new NielsPoint[2 * n + 1];
    msmScalars = new byte[32 * (2 * n + 1)];
    capacity = n;
  }

  private static NielsPoint[] grow(NielsPoint[] old, int n) {
    NielsPoint[] out = Arrays.copyOf(old, n);
    for (int i = old.length; i < n; i++) {
      out[i] = new NielsPoint();
    }
    return out;
  }
}
