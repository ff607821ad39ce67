package dev.agentledger.node.execution.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.hash.Sha256;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SparseMerkleStateTest {
  /**
   * An independent reference: the root of a set of (key, value) computed top-down by splitting the
   * sorted keys on each bit, with the same hashing rules written out from the spec.
   */
  static byte[] referenceRoot(TreeMap<String, byte[][]> entries) {
    return reference(new ArrayList<>(entries.values()), 0);
  }

  private static byte[] reference(List<byte[][]> entries, int depth) {
    if (entries.isEmpty()) {
      return new byte[32];
    }
    if (entries.size() == 1) {
      byte[][] e = entries.get(0);
      return sha(new byte[] {0}, e[0], Sha256.digest(e[1]));
    }
    List<byte[][]> left = new ArrayList<>();
    List<byte[][]> right = new ArrayList<>();
    for (byte[][] e : entries) {
      ((e[0][depth / 8] >> (7 - depth % 8) & 1) == 0 ? left : right).add(e);
    }
    return sha(new byte[] {1}, reference(left, depth + 1), reference(right, depth + 1));
  }

  private static byte[] sha(byte[]... parts) {
    Sha256 h = new Sha256();
    for (byte[] p : parts) {
      h.update(p, 0, p.length);
    }
    return h.digest();
  }

  private static byte[] key(Random random) {
    byte[] k = new byte[32];
    random.nextBytes(k);
    return k;
  }

  @Test
  void anEmptyTreeHasTheZeroRootAndProvesAbsence() {
    SparseMerkleState tree = new SparseMerkleState();
    assertThat(tree.root()).isEqualTo(new byte[32]);
    byte[] key = new byte[32];
    assertThat(tree.prove(key).verify(tree.root(), null)).isTrue();
    assertThat(tree.prove(key).verify(tree.root(), new byte[] {1})).isFalse();
  }

  @Property(tries = 40)
  void rootsMatchTheReferenceInAnyOrderAndProofsVerify(
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int n) {
    Random random = new Random(seed);
    TreeMap<String, byte[][]> entries = new TreeMap<>();
    List<byte[][]> writes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] k = key(random);
      if (random.nextInt(4) == 0) {
        k[31] ^= 1; // near neighbours: long shared prefixes
      }
      byte[] v = new byte[1 + random.nextInt(40)];
      random.nextBytes(v);
      writes.add(new byte[][] {k, v});
      entries.put(Arrays.toString(k), new byte[][] {k, v});
    }
    // Deletes of some keys, some never present.
    List<byte[]> deletes = new ArrayList<>();
    for (byte[][] w : writes) {
      if (random.nextInt(3) == 0) {
        deletes.add(w[0]);
        entries.remove(Arrays.toString(w[0]));
      }
    }
    deletes.add(key(random));
    SparseMerkleState a = new SparseMerkleState();
    for (byte[][] w : writes) {
      a.put(w[0], w[1]);
    }
    for (byte[] d : deletes) {
      a.put(d, null);
    }
    SparseMerkleState b = new SparseMerkleState();
    List<byte[][]> shuffled = new ArrayList<>(entries.values());
    Collections.shuffle(shuffled, random);
    for (byte[][] e : shuffled) {
      b.put(e[0], e[1]);
    }
    byte[] root = referenceRoot(entries);
    assertThat(a.root()).isEqualTo(root);
    assertThat(b.root()).isEqualTo(root);
    for (byte[][] e : entries.values()) {
      assertThat(a.get(e[0])).isEqualTo(e[1]);
      SparseMerkleProof proof = a.prove(e[0]);
      assertThat(proof.verify(root, e[1])).isTrue();
      byte[] other = e[1].clone();
      other[0] ^= 1;
      assertThat(proof.verify(root, other)).isFalse();
      assertThat(proof.verify(root, null)).isFalse();
    }
    for (byte[] d : deletes) {
      assertThat(a.get(d)).isNull();
      assertThat(a.prove(d).verify(root, null)).isTrue();
    }
  }

  @Test
  void snapshotsKeepOldRootsProvable() {
    SparseMerkleState tree = new SparseMerkleState();
    Random random = new Random(5);
    byte[] k = key(random);
    tree.put(k, new byte[] {1});
    SparseMerkleState.Snapshot before = tree.snapshot();
    byte[] oldRoot = tree.root();
    tree.put(k, new byte[] {2});
    tree.put(key(random), new byte[] {3});
    assertThat(before.root()).isEqualTo(oldRoot);
    assertThat(before.get(k)).containsExactly(1);
    assertThat(before.prove(k).verify(oldRoot, new byte[] {1})).isTrue();
    assertThat(tree.prove(k).verify(tree.root(), new byte[] {2})).isTrue();
  }
}
