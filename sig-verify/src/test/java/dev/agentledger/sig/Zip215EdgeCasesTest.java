package dev.agentledger.sig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.sig.testing.EdgeCases;
import dev.agentledger.sig.testing.RefEd25519;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ZIP-215 edge cases: expected verdicts by construction, the BigInteger reference, ours. */
class Zip215EdgeCasesTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void generatedEdgeCasesMatchTheirConstructionAndTheReference() {
    List<EdgeCases.Item> items = EdgeCases.generate(215);
    assertThat(items.size()).isGreaterThan(100);
    List<EdgeCases.Item> committed = EdgeCases.vectors();
    assertThat(committed).hasSameSizeAs(items);
    for (int i = 0; i < items.size(); i++) {
      assertThat(committed.get(i).category()).isEqualTo(items.get(i).category());
      assertThat(committed.get(i).expected()).isEqualTo(items.get(i).expected());
      assertThat(committed.get(i).signature()).isEqualTo(items.get(i).signature());
      assertThat(committed.get(i).publicKey()).isEqualTo(items.get(i).publicKey());
    }
    for (EdgeCases.Item item : items) {
      String what =
          item.category()
              + " "
              + HEX.formatHex(item.publicKey())
              + " "
              + HEX.formatHex(item.signature());
      assertThat(RefEd25519.verifyZip215(item.publicKey(), item.signature(), item.message()))
          .as("reference " + what)
          .isEqualTo(item.expected());
      assertThat(Ed25519.verify(item.publicKey(), item.signature(), item.message()))
          .as("project " + what)
          .isEqualTo(item.expected());
    }
  }
}
