package dev.agentledger.accel;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Synthetic inputs for calibration and {@code kernels bench}: random messages for SHA-256, random
 * 32-byte nodes for Merkle levels and roots, and for Ed25519 valid signatures over random messages
 * (the node's traffic is valid, and a batch verifier pays for an invalid item with a bisection), of
 * which a chosen percentage can be made invalid by changing one message bit after signing.
 *
 * <p>The Ed25519 signatures come from the JDK's own Ed25519 ({@code java.security}, RFC 8032), so
 * this module needs no signer of its own: up to {@value #SIGNED_POOL} distinct keys and messages
 * are signed once per message size and repeated cyclically in larger batches (every item still does
 * the full work of a verification: nothing is cached between items).
 */
public final class Workloads {
  /** Distinct signed (key, message) pairs per message size; larger batches repeat them. */
  static final int SIGNED_POOL = 1024;

  private static final Map<Integer, SignedPool> POOLS = new ConcurrentHashMap<>();

  private Workloads() {}

  /** Inputs for one capability and batch size, reusable across runs. */
  public static final class Workload {
    final Capability capability;
    final int items;
    final int messageBytes;
    final ByteBuffer input;
    final ByteBuffer output;
    final Ed25519Batch batch;

    Workload(Capability capability, int items, int messageBytes, int invalidPercent) {
      this.capability = capability;
      this.items = items;
      this.messageBytes = messageBytes;
      SplittableRandom rnd = new SplittableRandom(items * 31L + messageBytes);
      if (capability == Capability.ED25519_VERIFY_BATCH) {
        batch = new Ed25519Batch(items, messageBytes);
        SignedPool pool = POOLS.computeIfAbsent(messageBytes, SignedPool::sign);
        byte[] changed = new byte[messageBytes];
        for (int i = 0; i < items; i++) {
          int p = i % pool.size();
          byte[] message = pool.messages[p];
          if (rnd.nextInt(100) < invalidPercent) {
            System.arraycopy(message, 0, changed, 0, messageBytes);
            if (messageBytes > 0) {
              changed[rnd.nextInt(messageBytes)] ^= (byte) (1 << rnd.nextInt(8));
              message = changed;
            } else {
              // no message bit to change: use another key's signature instead
              batch.set(i, pool.keys[p], pool.signatures[(p + 1) % pool.size()], message);
              continue;
            }
          }
          batch.set(i, pool.keys[p], pool.signatures[p], message);
        }
        batch.count(items);
        input = null;
        output = ByteBuffer.allocateDirect(items);
      } else {
        batch = null;
        int itemBytes = capability == Capability.SHA256_BATCH ? messageBytes : 32;
        byte[] all = new byte[Math.max(1, itemBytes * items)];
        rnd.nextBytes(all);
        input = ByteBuffer.allocateDirect(all.length).put(0, all);
        output =
            ByteBuffer.allocateDirect(
                capability == Capability.SHA256_BATCH ? 32 * items : 32 * ((items + 1) / 2));
      }
    }

    public int items() {
      return items;
    }

    /** The Ed25519 inputs (null for the hash capabilities). */
    public Ed25519Batch ed25519Batch() {
      return batch;
    }

    /** Where {@link #run} writes: digests, parents, the root, or one Ed25519 verdict per item. */
    public ByteBuffer output() {
      return output;
    }

    /** Bytes of input per item (what GB/s figures count). */
    public long inputBytes() {
      return switch (capability) {
        case SHA256_BATCH -> (long) messageBytes * items;
        case MERKLE_LEVEL, MERKLE_ROOT -> 32L * items;
        case ED25519_VERIFY_BATCH -> batch.uploadBytes();
        case MSM_BN254_G1 -> 64L * items;
      };
    }

    public CompletableFuture<LaunchTiming> run(Backend backend) {
      return switch (capability) {
        case SHA256_BATCH -> backend.sha256Batch(input, messageBytes, items, output);
        case MERKLE_LEVEL -> backend.merkleLevel(input, items, output);
        case MERKLE_ROOT -> backend.merkleRoot(input, items, output);
        case ED25519_VERIFY_BATCH -> backend.ed25519VerifyBatch(batch, output);
        // needs curve points: the zk module's MSM drives this kernel (dev.agentledger.zk.msm)
        case MSM_BN254_G1 ->
            CompletableFuture.failedFuture(
                new UnsupportedCapabilityException(backend.name(), capability));
      };
    }
  }

  /**
   * Prepares inputs. {@code messageBytes} is the SHA-256 message size or the Ed25519 message size;
   * Merkle items are 32-byte nodes. Ed25519 signatures are all valid.
   */
  public static Workload prepare(Capability capability, int items, int messageBytes) {
    return prepare(capability, items, messageBytes, 0);
  }

  /**
   * As {@link #prepare(Capability, int, int)}, with about {@code invalidPercent} percent (0..100)
   * of the Ed25519 items invalid: a message bit changed after signing (or, for empty messages,
   * another key's signature), so they are rejected at the final comparison.
   */
  public static Workload prepare(
      Capability capability, int items, int messageBytes, int invalidPercent) {
    if (invalidPercent < 0 || invalidPercent > 100) {
      throw new IllegalArgumentException("invalidPercent must be 0..100: " + invalidPercent);
    }
    return new Workload(capability, items, messageBytes, invalidPercent);
  }

  public static CompletableFuture<LaunchTiming> run(
      Backend backend, Capability capability, int items, int messageBytes) {
    return prepare(capability, items, messageBytes).run(backend);
  }

  /** Keys, messages and signatures made once per message size with the JDK's Ed25519. */
  private record SignedPool(byte[][] keys, byte[][] messages, byte[][] signatures) {
    int size() {
      return keys.length;
    }

    static SignedPool sign(int messageBytes) {
      try {
        SecureRandom seeds = SecureRandom.getInstance("SHA1PRNG");
        seeds.setSeed(messageBytes + 25519L); // deterministic keys for a given message size
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, seeds);
        Signature signer = Signature.getInstance("Ed25519");
        SplittableRandom rnd = new SplittableRandom(messageBytes);
        byte[][] keys = new byte[SIGNED_POOL][];
        byte[][] messages = new byte[SIGNED_POOL][];
        byte[][] signatures = new byte[SIGNED_POOL][];
        for (int i = 0; i < SIGNED_POOL; i++) {
          KeyPair pair = generator.generateKeyPair();
          byte[] spki = pair.getPublic().getEncoded(); // X.509 SubjectPublicKeyInfo: key last
          keys[i] = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
          messages[i] = new byte[messageBytes];
          rnd.nextBytes(messages[i]);
          signer.initSign(pair.getPrivate());
          signer.update(messages[i]);
          signatures[i] = signer.sign();
        }
        return new SignedPool(keys, messages, signatures);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Ed25519 is required by every Java platform (JDK 15+)", e);
      }
    }
  }
}
