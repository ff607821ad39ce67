package dev.agentledger.accel;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Synthetic inputs for calibration and {@code kernels bench}: random messages for SHA-256, random
 * 32-byte nodes for Merkle levels and roots, and for Ed25519 the RFC 8032 section 7.1 TEST 1 key
 * and signature over random messages (every item then does the full work of a real verification,
 * decompressions, SHA-512 and the double-scalar multiplication, and is rejected at the final
 * comparison, which costs the same as accepting).
 */
public final class Workloads {
  private static final byte[] RFC8032_TEST1_PUB =
      HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  private static final byte[] RFC8032_TEST1_SIG =
      HexFormat.of()
          .parseHex(
              "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

  private Workloads() {}

  /** Inputs for one capability and batch size, reusable across runs. */
  public static final class Workload {
    final Capability capability;
    final int items;
    final int messageBytes;
    final ByteBuffer input;
    final ByteBuffer output;
    final Ed25519Batch batch;

    Workload(Capability capability, int items, int messageBytes) {
      this.capability = capability;
      this.items = items;
      this.messageBytes = messageBytes;
      SplittableRandom rnd = new SplittableRandom(items * 31L + messageBytes);
      if (capability == Capability.ED25519_VERIFY_BATCH) {
        batch = new Ed25519Batch(items, messageBytes);
        byte[] msg = new byte[messageBytes];
        for (int i = 0; i < items; i++) {
          rnd.nextBytes(msg);
          batch.set(i, RFC8032_TEST1_PUB, RFC8032_TEST1_SIG, msg);
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
   * Merkle items are 32-byte nodes.
   */
  public static Workload prepare(Capability capability, int items, int messageBytes) {
    return new Workload(capability, items, messageBytes);
  }

  public static CompletableFuture<LaunchTiming> run(
      Backend backend, Capability capability, int items, int messageBytes) {
    return prepare(capability, items, messageBytes).run(backend);
  }
}
