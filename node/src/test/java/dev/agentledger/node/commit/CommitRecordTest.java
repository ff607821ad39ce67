package dev.agentledger.node.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.hash.Sha256;
import dev.agentledger.node.committee.Committee;
import dev.agentledger.node.execution.LedgerFixture;
import dev.agentledger.node.execution.LedgerHarness;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CommitRecordTest {
  private static byte[] hash(Random random) {
    byte[] h = new byte[32];
    random.nextBytes(h);
    return h;
  }

  @Property(tries = 50)
  void encodingRoundTripsAndHasTheDocumentedLayout(
      @ForAll long seed, @ForAll @IntRange(max = 20) int batches) {
    Random random = new Random(seed);
    List<byte[]> digests = new java.util.ArrayList<>();
    for (int i = 0; i < batches; i++) {
      digests.add(hash(random));
    }
    CommitRecord record =
        new CommitRecord(
            random.nextInt(),
            random.nextLong(),
            random.nextLong(),
            hash(random),
            hash(random),
            hash(random),
            random.nextLong(),
            hash(random),
            hash(random),
            digests);
    byte[] encoded = record.encode();
    assertThat(encoded).hasSize(1 + 4 + 8 + 8 + 32 * 3 + 8 + 32 * 2 + 4 + 32 * batches);
    ByteBuffer b = ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt(1)).isEqualTo(record.chainId());
    assertThat(b.getLong(5)).isEqualTo(record.sequence());
    assertThat(Arrays.copyOfRange(encoded, 21 + 64, 21 + 96)).isEqualTo(record.txRoot());
    assertThat(Arrays.copyOfRange(encoded, 125 + 32, 125 + 64)).isEqualTo(record.stateRoot());
    assertThat(record.hash()).isEqualTo(Sha256.digest(encoded));
    CommitRecord decoded = CommitRecord.decode(encoded);
    assertThat(decoded.encode()).isEqualTo(encoded);
    assertThatThrownBy(() -> CommitRecord.decode(Arrays.copyOf(encoded, encoded.length + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CommitRecord.decode(Arrays.copyOf(encoded, encoded.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] version = encoded.clone();
    version[0] = 2;
    assertThatThrownBy(() -> CommitRecord.decode(version))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void commitsChainAndTheCollectorRefusesBadSignatures() {
    LedgerHarness ledger = new LedgerHarness();
    var first = ledger.commit(List.of(LedgerFixture.run(0).sign(LedgerFixture.AGENT)));
    var second = ledger.commit(List.of(), new int[0]);
    assertThat(first.record().previous()).isEqualTo(new byte[32]);
    assertThat(second.record().previous()).isEqualTo(first.hash());
    assertThat(second.record().txCount()).isZero();
    assertThat(second.certificate()).isNull();

    byte[] hash = second.hash();
    // A stranger, a signature of another commit, and a repeat are refused.
    assertThat(ledger.stage.addSignature(2, CommitSignature.sign(LedgerFixture.STRANGER, hash)))
        .isFalse();
    assertThat(
            ledger.stage.addSignature(
                2, CommitSignature.sign(LedgerHarness.VALIDATORS[3], first.hash())))
        .isFalse();
    assertThat(
            ledger.stage.addSignature(2, CommitSignature.sign(LedgerHarness.VALIDATORS[0], hash)))
        .isFalse();
    assertThat(
            ledger.stage.addSignature(2, CommitSignature.sign(LedgerHarness.VALIDATORS[3], hash)))
        .isTrue();
    assertThat(ledger.store.commit(2).orElseThrow().certificate()).isNull(); // 10 + 40 of 100
    assertThat(
            ledger.stage.addSignature(2, CommitSignature.sign(LedgerHarness.VALIDATORS[2], hash)))
        .isTrue();
    CommitCertificate certificate = ledger.store.commit(2).orElseThrow().certificate();
    assertThat(certificate).isNotNull();
    assertThat(certificate.check(LedgerHarness.COMMITTEE)).isNull();
    assertThat(certificate.signedStake(LedgerHarness.COMMITTEE)).isEqualTo(80);
    assertThat(
            ledger.stage.addSignature(2, CommitSignature.sign(LedgerHarness.VALIDATORS[1], hash)))
        .isFalse();
    assertThat(ledger.metrics.render()).contains("agentledger_execution_certificates_total 2");
  }

  @Test
  void committeeFilesRoundTripAndRefuseNonsense() {
    Committee committee = LedgerHarness.COMMITTEE;
    assertThat(Committee.fromJson(committee.toJson()))
        .usingRecursiveComparison()
        .isEqualTo(committee);
    assertThat(committee.isQuorum(66)).isFalse();
    assertThat(committee.isQuorum(67)).isTrue();
    for (String bad :
        List.of(
            "{}",
            "{\"chainId\":7,\"validators\":[]}",
            "{\"chainId\":7,\"validators\":[{\"publicKey\":\"00\",\"stake\":1}]}",
            "{\"chainId\":7,\"validators\":[{\"publicKey\":\""
                + "ab".repeat(32)
                + "\",\"stake\":0}]}",
            "{\"chainId\":7,\"validators\":[{\"publicKey\":\""
                + "AB".repeat(32)
                + "\",\"stake\":1}]}",
            "{\"chainId\":7,\"validators\":[{\"publicKey\":\""
                + "ab".repeat(32)
                + "\",\"stake\":1}],\"x\":1}")) {
      assertThatThrownBy(() -> Committee.fromJson(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
