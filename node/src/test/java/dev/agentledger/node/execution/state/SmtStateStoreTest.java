package dev.agentledger.node.execution.state;

import static dev.agentledger.node.execution.LedgerFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.node.execution.DeterminismTest;
import dev.agentledger.node.execution.core.CommitExecution;
import dev.agentledger.node.execution.core.CommittedInput;
import dev.agentledger.node.execution.core.LedgerExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * hash-pipeline's sparse Merkle tree (behind {@link SmtStateStore}) and this module's persistent
 * tree ({@link SparseMerkleState}) were written independently to one hashing scheme: they must
 * agree on every root, value and proof.
 */
class SmtStateStoreTest {
  @Test
  void bothTreesGiveTheSameStateRootsForAnOrderedStream() {
    List<CommittedInput> stream = DeterminismTest.stream(9, 20);
    SmtStateStore smt = SmtStateStore.inMemory();
    SparseMerkleState reference = new SparseMerkleState();
    LedgerExecutor a = new LedgerExecutor(genesis(), smt, true);
    LedgerExecutor b = new LedgerExecutor(genesis(), reference, true);
    for (CommittedInput input : stream) {
      CommitExecution x = a.execute(input);
      CommitExecution y = b.execute(input);
      assertThat(x.stateRoot()).isEqualTo(y.stateRoot());
      assertThat(x.receipts()).usingRecursiveComparison().isEqualTo(y.receipts());
    }
  }

  /**
   * Commits of up to 300 writes, values of lengths from empty to the maximum, keys sharing long
   * prefixes (the prefix sort's ties), removals: every root equals the reference's.
   */
  @Property(tries = 15)
  void largeCommitsOfMixedValueLengthsAgreeWithTheReference(@ForAll long seed) {
    Random random = new Random(seed);
    SmtStateStore smt = SmtStateStore.inMemory(4);
    SparseMerkleState reference = new SparseMerkleState();
    List<byte[]> keys = new ArrayList<>();
    int[] lengths = {0, 1, 8, 55, 56, 58, 64, 100, LatestValues.MAX_VALUE_BYTES};
    for (int commit = 0; commit < 5; commit++) {
      int writes = 1 + random.nextInt(300);
      for (int i = 0; i < writes; i++) {
        byte[] key;
        if (!keys.isEmpty() && random.nextInt(4) == 0) {
          key = keys.get(random.nextInt(keys.size()));
        } else {
          key = new byte[32];
          random.nextBytes(key);
          if (!keys.isEmpty() && random.nextInt(5) == 0) {
            // Same first 5 to 31 bytes as a known key: ties of the 40-bit sort prefix.
            byte[] near = keys.get(random.nextInt(keys.size()));
            System.arraycopy(near, 0, key, 0, 5 + random.nextInt(27));
          }
          keys.add(key);
        }
        byte[] value = null;
        if (random.nextInt(8) != 0) {
          value = new byte[lengths[random.nextInt(lengths.length)]];
          random.nextBytes(value);
        }
        smt.put(key, value);
        reference.put(key, value);
      }
      assertThat(smt.root()).isEqualTo(reference.root());
    }
  }

  @Property(tries = 30)
  void versionsValuesAndProofsAgreeWithTheReference(@ForAll long seed) {
    Random random = new Random(seed);
    SmtStateStore smt = SmtStateStore.inMemory();
    SparseMerkleState reference = new SparseMerkleState();
    List<byte[]> keys = new ArrayList<>();
    List<ProvableState> versions = new ArrayList<>();
    List<SparseMerkleState.Snapshot> referenceVersions = new ArrayList<>();
    for (int commit = 0; commit < 6; commit++) {
      for (int i = 0; i < 1 + random.nextInt(15); i++) {
        byte[] key;
        if (!keys.isEmpty() && random.nextInt(3) == 0) {
          key = keys.get(random.nextInt(keys.size()));
        } else {
          key = new byte[32];
          random.nextBytes(key);
          keys.add(key);
        }
        byte[] value =
            random.nextInt(5) == 0 ? null : new byte[] {(byte) random.nextInt(), (byte) commit};
        smt.put(key, value);
        reference.put(key, value);
        assertThat(smt.get(key)).isEqualTo(value);
      }
      assertThat(smt.root()).isEqualTo(reference.root());
      versions.add(smt.snapshot());
      referenceVersions.add(reference.snapshot());
    }
    List<byte[]> probes = new ArrayList<>(keys);
    for (int i = 0; i < 10; i++) {
      byte[] absent = new byte[32];
      random.nextBytes(absent);
      probes.add(absent);
    }
    for (int v = 0; v < versions.size(); v++) {
      ProvableState version = versions.get(v);
      SparseMerkleState.Snapshot expected = referenceVersions.get(v);
      assertThat(version.root()).isEqualTo(expected.root());
      for (byte[] key : probes) {
        byte[] value = version.get(key);
        assertThat(value).isEqualTo(expected.get(key));
        SparseMerkleProof proof = version.prove(key);
        SparseMerkleProof want = expected.prove(key);
        assertThat(proof.leafKey()).isEqualTo(want.leafKey());
        assertThat(proof.leafValueHash()).isEqualTo(want.leafValueHash());
        assertThat(proof.siblings().size()).isEqualTo(want.siblings().size());
        for (int s = 0; s < proof.siblings().size(); s++) {
          assertThat(proof.siblings().get(s)).isEqualTo(want.siblings().get(s));
        }
        assertThat(proof.verify(version.root(), value)).isTrue();
      }
    }
  }

  /**
   * Commits with hundreds of values of each of the state's own lengths (account, run entry, usage
   * total: hashed together with the multi-buffer engine), a few of other lengths (hashed one by
   * one), overwrites and removals: the roots equal the reference's, and each proof's value hash is
   * the SHA-256 of the value and verifies against the root.
   */
  @Test
  void valuesHashedTogetherByLengthGiveTheReferenceRootsAndProofs() {
    Random random = new Random(3);
    SmtStateStore smt = SmtStateStore.inMemory(4);
    SparseMerkleState reference = new SparseMerkleState();
    int[] lengths = {58, 81, 97};
    List<byte[]> keys = new ArrayList<>();
    for (int commit = 0; commit < 4; commit++) {
      List<byte[]> written = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        byte[] key;
        if (commit > 0 && i % 3 == 0) {
          key = keys.get(random.nextInt(keys.size()));
        } else {
          key = new byte[32];
          random.nextBytes(key);
          keys.add(key);
        }
        byte[] value = new byte[i < 5 ? 10 : lengths[i % lengths.length]];
        random.nextBytes(value);
        if (commit > 0 && i % 50 == 1) {
          value = null;
        }
        smt.put(key, value);
        reference.put(key, value);
        written.add(key);
      }
      assertThat(smt.root()).isEqualTo(reference.root());
      SmtStateStore.Version version = smt.snapshot();
      for (int p = 0; p < 40; p++) {
        byte[] key = written.get(random.nextInt(written.size()));
        byte[] value = version.get(key);
        SparseMerkleProof proof = version.prove(key);
        assertThat(proof.verify(version.root(), value)).isTrue();
        assertThat(proof).usingRecursiveComparison().isEqualTo(reference.prove(key));
      }
    }
  }
}
