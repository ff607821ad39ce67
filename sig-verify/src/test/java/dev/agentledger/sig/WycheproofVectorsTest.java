package dev.agentledger.sig;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.sig.batch.CpuBatchVerifier;
import dev.agentledger.sig.testing.RefEd25519;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Wycheproof EdDSA (subset, see the vector file): single, batch and the reference agree with it.
 */
class WycheproofVectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void verdictsMatchWycheproofInSingleAndBatchMode() throws IOException {
    List<String[]> rows = Rfc8032VectorsTest.load("wycheproof-eddsa-subset.txt");
    assertThat(rows).hasSize(33);
    SignatureBatch batch = new SignatureBatch(rows.size());
    for (String[] row : rows) {
      boolean expected = row[1].equals("valid");
      byte[] pk = HEX.parseHex(row[2]);
      byte[] msg = Rfc8032VectorsTest.hexOrEmpty(row[3]);
      byte[] sig = HEX.parseHex(row[4]);
      assertThat(Ed25519.verify(pk, sig, msg)).as("tcId " + row[0]).isEqualTo(expected);
      assertThat(RefEd25519.verifyZip215(pk, sig, msg))
          .as("reference tcId " + row[0])
          .isEqualTo(expected);
      batch.add(pk, sig, msg);
    }
    boolean[] verdicts = new boolean[rows.size()];
    new CpuBatchVerifier().verify(batch, verdicts);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(verdicts[i])
          .as("batch tcId " + rows.get(i)[0])
          .isEqualTo(rows.get(i)[1].equals("valid"));
    }
  }
}
