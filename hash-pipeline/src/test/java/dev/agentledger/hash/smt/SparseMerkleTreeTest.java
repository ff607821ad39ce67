package dev.agentledger.hash.smt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SparseMerkleTreeTest {

  static byte[] sha(byte[]... parts) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  /** The scheme of package-info written out directly: recursive over the whole key set. */
  static byte[] referenceRoot(List<Map.Entry<byte[], byte[]>> entries, int depth) throws Exception {
    if (entries.isEmpty()) {
      return new byte[32];
    }
    if (entries.size() == 1) {
      return sha(new byte[] {0}, entries.get(0).getKey(), entries.get(0).getValue());
    }
    List<Map.Entry<byte[], byte[]>> left = new ArrayList<>();
    List<Map.Entry<byte[], byte[]>> right = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> e : entries) {
      int bit = (e.getKey()[depth / 8] >>> (7 - depth % 8)) & 1;
      (bit == 0 ? left : right).add(e);
    }
    return sha(new byte[] {1}, referenceRoot(left, depth + 1), referenceRoot(right, depth + 1));
  }

  static byte[] key(Random random, int prefixBits) {
    byte[] key = new byte[32];
    random.nextBytes(key);
    if (prefixBits > 0) {
      // Share long prefixes now and then: deep paths and splits far down.
      java.util.Arrays.fill(key, 0, prefixBits / 8, (byte) 0x5a);
    }
    return key;
  }

  @Test
  void randomBatchesMatchTheReferenceAndProofsHold() throws Exception {
    Random random = new Random(2024);
    InMemoryNodeStore store = new InMemoryNodeStore();
    SparseMerkleTree tree = new SparseMerkleTree(store);
    assertThat(tree.root(-1)).isEqualTo(new byte[32]);
    Map<ByteBuffer, byte[]> model = new TreeMap<>();
    List<byte[]> roots = new ArrayList<>();
    List<Map<ByteBuffer, byte[]>> snapshots = new ArrayList<>();
    List<byte[]> known = new ArrayList<>();
    for (int version = 0; version < 25; version++) {
      Map<byte[], byte[]> batch = new HashMap<>();
      int n = version == 10 ? 3000 : 1 + random.nextInt(150);
      for (int i = 0; i < n; i++) {
        byte[] k =
            !known.isEmpty() && random.nextInt(3) == 0
                ? known.get(random.nextInt(known.size()))
                : key(random, random.nextInt(4) == 0 ? 8 * (1 + random.nextInt(31)) : 0);
        boolean dup = batch.keySet().stream().anyMatch(x -> java.util.Arrays.equals(x, k));
        if (dup) {
          continue;
        }
        byte[] value = random.nextInt(5) == 0 ? null : ("v" + random.nextInt()).getBytes();
        batch.put(k, value);
        known.add(k);
      }
      byte[] root = tree.update(batch);
      for (Map.Entry<byte[], byte[]> e : batch.entrySet()) {
        if (e.getValue() == null) {
          model.remove(ByteBuffer.wrap(e.getKey()));
        } else {
          model.put(ByteBuffer.wrap(e.getKey()), sha(e.getValue()));
        }
      }
      List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
      model.forEach((k, v) -> entries.add(Map.entry(k.array(), v)));
      assertThat(root).as("version %d", version).isEqualTo(referenceRoot(entries, 0));
      assertThat(tree.latestVersion()).isEqualTo(version);
      roots.add(root);
      snapshots.add(new HashMap<>(model));
    }
    // Every version stays readable with its own proofs.
    for (int version = 0; version < roots.size(); version += 6) {
      Map<ByteBuffer, byte[]> snapshot = snapshots.get(version);
      byte[] root = tree.root(version);
      assertThat(root).isEqualTo(roots.get(version));
      for (int i = 0; i < 60; i++) {
        byte[] k = known.get(random.nextInt(known.size()));
        SmtProof proof = tree.prove(version, k);
        byte[] expected = snapshot.get(ByteBuffer.wrap(k));
        if (expected != null) {
          assertThat(proof.verifyMembership(root, k, expected)).isTrue();
          assertThat(proof.verifyNonMembership(root, k)).isFalse();
          byte[] wrong = expected.clone();
          wrong[0] ^= 1;
          assertThat(proof.verifyMembership(root, k, wrong)).isFalse();
          assertThat(tree.get(version, k))
              .hasValueSatisfying(v -> assertThat(v).isEqualTo(expected));
        } else {
          assertThat(proof.verifyNonMembership(root, k)).isTrue();
          assertThat(tree.get(version, k)).isEmpty();
        }
        byte[] otherRoot = roots.get((version + 1) % roots.size());
        assertThat(
                proof.verifyNonMembership(otherRoot, k)
                    && proof.verifyMembership(
                        otherRoot, k, expected == null ? new byte[32] : expected))
            .isFalse();
        List<byte[]> siblings = proof.siblings();
        if (!siblings.isEmpty()) {
          int j = random.nextInt(siblings.size());
          siblings.get(j)[random.nextInt(32)] ^= 4;
          SmtProof bad = new SmtProof(siblings, expected != null ? k : null, expected);
          assertThat(
                  expected != null
                      ? bad.verifyMembership(root, k, expected)
                      : bad.verifyNonMembership(root, k))
              .isFalse();
        }
      }
      byte[] absent = key(random, 0);
      assertThat(tree.prove(version, absent).verifyNonMembership(root, absent)).isTrue();
    }
  }

  @Test
  void deletingEverythingReturnsToTheEmptyRootAndRejectsBadBatches() {
    Random random = new Random(5);
    SparseMerkleTree tree = new SparseMerkleTree(new InMemoryNodeStore());
    byte[][] keys = new byte[50][];
    byte[][] values = new byte[50][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = key(random, 0);
      values[i] = new byte[] {(byte) i};
    }
    java.util.Arrays.sort(keys, java.util.Arrays::compareUnsigned);
    tree.update(keys, values);
    assertThat(tree.update(keys, new byte[50][])).isEqualTo(new byte[32]);
    byte[][] unsorted = {keys[1], keys[0]};
    assertThatThrownBy(() -> tree.update(unsorted, new byte[2][]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.update(new byte[][] {new byte[31]}, new byte[1][]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
