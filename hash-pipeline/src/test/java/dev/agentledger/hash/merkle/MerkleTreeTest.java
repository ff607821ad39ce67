package dev.agentledger.hash.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final int MAX_SIZE = 1100;

  static List<byte[]> randomLeaves(Random random, int n) {
    List<byte[]> leaves = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] leaf = new byte[random.nextInt(3) == 0 ? 32 : random.nextInt(70)];
      random.nextBytes(leaf);
      leaves.add(leaf);
    }
    return leaves;
  }

  private static Set<Integer> sample(Random random, int n) {
    Set<Integer> picks = new LinkedHashSet<>();
    if (n <= 40) {
      for (int i = 0; i < n; i++) {
        picks.add(i);
      }
      return picks;
    }
    picks.add(0);
    picks.add(n - 1);
    picks.add(random.nextInt(n));
    return picks;
  }

  @Test
  void agreesWithTheRecursiveDefinitionForEverySizeUpTo1100() {
    Random random = new Random(6962);
    List<byte[]> all = randomLeaves(random, MAX_SIZE);
    for (int n = 0; n <= MAX_SIZE; n++) {
      List<byte[]> leaves = all.subList(0, n);
      MerkleTree tree = MerkleTree.build(leaves);
      byte[] root = tree.root();
      assertThat(HEX.formatHex(root))
          .as("root of %d", n)
          .isEqualTo(HEX.formatHex(ReferenceMerkle.mth(leaves)));
      assertThat(MerkleTree.root(leaves)).isEqualTo(root);
      for (int index : sample(random, n)) {
        InclusionProof proof = tree.inclusionProof(index);
        assertThat(hex(proof.path()))
            .as("path %d of %d", index, n)
            .isEqualTo(hex(ReferenceMerkle.path(index, leaves)));
        assertThat(proof.verifyLeaf(leaves.get(index), root)).isTrue();
      }
      for (int old : sample(random, n + 1)) {
        ConsistencyProof proof = tree.consistencyProof(old);
        assertThat(hex(proof.path()))
            .as("consistency %d -> %d", old, n)
            .isEqualTo(hex(ReferenceMerkle.proof(old, leaves)));
        assertThat(proof.verify(ReferenceMerkle.mth(leaves.subList(0, old)), root))
            .as("verify %d -> %d", old, n)
            .isTrue();
      }
    }
  }

  @Test
  void everyProofOfSmallTreesVerifiesAndMutationsAreRejected() {
    Random random = new Random(9162);
    List<byte[]> all = randomLeaves(random, 80);
    for (int n = 1; n <= 80; n++) {
      List<byte[]> leaves = all.subList(0, n);
      MerkleTree tree = MerkleTree.build(leaves);
      byte[] root = tree.root();
      byte[] wrongRoot = root.clone();
      wrongRoot[7] ^= 1;
      for (int index = 0; index < n; index++) {
        InclusionProof proof = tree.inclusionProof(index);
        byte[] leafHash = TreeHash.leafHash(leaves.get(index));
        assertThat(proof.verify(leafHash, root)).isTrue();
        assertThat(proof.verify(leafHash, wrongRoot)).isFalse();
        if (n > 1) {
          int other = (index + 1) % n;
          assertThat(new InclusionProof(other, n, proof.path()).verify(leafHash, root))
              .as("index %d claimed as %d of %d", index, other, n)
              .isFalse();
          assertThat(proof.verify(TreeHash.leafHash(leaves.get(other)), root)).isFalse();
        }
        // (The size is bound to the root by the signed tree head, not by the path: a claimed size
        // can
        // legitimately re-fit a path, e.g. 3 as 4, so sizes are not mutated here.)
        assertThat(new InclusionProof(index, n, proof.path()).verify(leafHash, root)).isTrue();
        for (int j = 0; j < proof.path().size(); j++) {
          List<byte[]> mutated = proof.path();
          mutated.get(j)[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
          assertThat(new InclusionProof(index, n, mutated).verify(leafHash, root)).isFalse();
          List<byte[]> shorter = proof.path();
          shorter.remove(j);
          assertThat(new InclusionProof(index, n, shorter).verify(leafHash, root)).isFalse();
        }
        List<byte[]> longer = proof.path();
        longer.add(root);
        assertThat(new InclusionProof(index, n, longer).verify(leafHash, root)).isFalse();
      }
      for (int old = 0; old <= n; old++) {
        ConsistencyProof proof = tree.consistencyProof(old);
        byte[] oldRoot = MerkleTree.root(leaves.subList(0, old));
        assertThat(proof.verify(oldRoot, root)).isTrue();
        // Every tree extends the empty tree (RFC 9162 2.1.4): only a non-empty old tree binds the
        // new root.
        assertThat(proof.verify(oldRoot, wrongRoot)).isEqualTo(old == 0);
        if (old > 0 && old < n) {
          byte[] wrongOld = oldRoot.clone();
          wrongOld[0] ^= 1;
          assertThat(proof.verify(wrongOld, root)).isFalse();
          // (A claimed new size can legitimately re-fit a path: RFC 6962 binds size and root
          // through
          // the signed tree head, not the proof, so only the old size is mutated here.)
          if (old > 1) {
            assertThat(new ConsistencyProof(old - 1, n, proof.path()).verify(oldRoot, root))
                .isFalse();
          }
          for (int j = 0; j < proof.path().size(); j++) {
            List<byte[]> mutated = proof.path();
            mutated.get(j)[random.nextInt(32)] ^= 0x10;
            assertThat(new ConsistencyProof(old, n, mutated).verify(oldRoot, root)).isFalse();
          }
          assertThat(new ConsistencyProof(old, n, List.of()).verify(oldRoot, root)).isFalse();
        }
      }
    }
  }

  @Test
  void largeRandomTreesAgreeWithTheReference() {
    Random random = new Random(42);
    for (int n : new int[] {4095, 4096, 4097, 20_000 + random.nextInt(5000)}) {
      List<byte[]> leaves = randomLeaves(random, n);
      MerkleTree tree = MerkleTree.build(leaves);
      assertThat(tree.root()).isEqualTo(ReferenceMerkle.mth(leaves));
      int index = random.nextInt(n);
      assertThat(hex(tree.inclusionProof(index).path()))
          .isEqualTo(hex(ReferenceMerkle.path(index, leaves)));
      int old = 1 + random.nextInt(n - 1);
      assertThat(hex(tree.consistencyProof(old).path()))
          .isEqualTo(hex(ReferenceMerkle.proof(old, leaves)));
    }
  }

  @Test
  void publishedCertificateTransparencyVectors() throws IOException {
    List<byte[]> leaves = new ArrayList<>();
    int checked = 0;
    for (String line : vectorLines("/vectors/rfc6962-ct.txt")) {
      String[] f = line.split(" ");
      switch (f[0]) {
        case "leaf" -> leaves.add(f[1].equals("-") ? new byte[0] : HEX.parseHex(f[1]));
        case "root" -> {
          int n = Integer.parseInt(f[1]);
          assertThat(HEX.formatHex(MerkleTree.root(leaves.subList(0, n))))
              .as("root %d", n)
              .isEqualTo(f[2]);
          checked++;
        }
        case "inclusion" -> {
          int index = Integer.parseInt(f[1]);
          int n = Integer.parseInt(f[2]);
          MerkleTree tree = MerkleTree.build(leaves.subList(0, n));
          InclusionProof proof = tree.inclusionProof(index);
          assertThat(hex(proof.path())).isEqualTo(List.of(f).subList(3, f.length));
          assertThat(proof.verifyLeaf(leaves.get(index), tree.root())).isTrue();
          checked++;
        }
        case "consistency" -> {
          int old = Integer.parseInt(f[1]);
          int n = Integer.parseInt(f[2]);
          MerkleTree tree = MerkleTree.build(leaves.subList(0, n));
          ConsistencyProof proof = tree.consistencyProof(old);
          assertThat(hex(proof.path())).isEqualTo(List.of(f).subList(3, f.length));
          assertThat(proof.verify(MerkleTree.root(leaves.subList(0, old)), tree.root())).isTrue();
          checked++;
        }
        default -> throw new AssertionError("unknown vector line " + line);
      }
    }
    assertThat(checked).isEqualTo(14);
  }

  @Test
  void hashHelpersFollowTheRfcPrefixes() {
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    b[31] = 1;
    assertThat(TreeHash.nodeHash(a, b)).isEqualTo(ReferenceMerkle.sha256(new byte[] {1}, a, b));
    assertThat(TreeHash.leafHash(a)).isEqualTo(ReferenceMerkle.sha256(new byte[] {0}, a));
    assertThat(MerkleTree.root(new byte[0][])).isEqualTo(ReferenceMerkle.sha256());
    assertThat(MerkleTree.rootOfLeafHashes(new byte[][] {a, b})).isEqualTo(TreeHash.nodeHash(a, b));
  }

  static List<String> vectorLines(String resource) throws IOException {
    try (InputStream in = MerkleTreeTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      List<String> lines = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          lines.add(line.strip());
        }
      }
      return lines;
    }
  }

  static List<String> hex(List<byte[]> nodes) {
    return nodes.stream().map(HEX::formatHex).toList();
  }
}
