package dev.agentledger.bench.sig;

import dev.agentledger.sig.Ed25519;
import java.util.SplittableRandom;

/** Benchmark inputs: distinct keys, 300-byte messages, valid signatures (fixed seed). */
final class Ed25519Inputs {
  static final int COUNT = 4096;
  final byte[][] seeds = new byte[COUNT][32];
  final byte[][] keys = new byte[COUNT][];
  final byte[][] signatures = new byte[COUNT][];
  final byte[][] messages = new byte[COUNT][300];

  Ed25519Inputs() {
    SplittableRandom random = new SplittableRandom(25519);
    for (int i = 0; i < COUNT; i++) {
      random.nextBytes(seeds[i]);
      random.nextBytes(messages[i]);
      keys[i] = Ed25519.publicKey(seeds[i]);
      signatures[i] = Ed25519.sign(seeds[i], messages[i]);
    }
  }
}
