package dev.agentledger.zk.groth16;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.zk.ZkInputException;
import dev.agentledger.zk.iden3.Wtns;
import dev.agentledger.zk.iden3.Zkey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The prover reads the C and H points of the zkey straight into its C+H MSM; a point there off the
 * curve is refused with a clear error naming the section and the point, never a proof.
 */
class ProverBadPointTest {
  @ParameterizedTest
  @CsvSource({"8, C", "9, H"})
  void pointOffTheCurveInTheCOrHSectionIsRefused(int section, String what, @TempDir Path tmp)
      throws IOException {
    Path dir = Circuits.build("multiplier");
    byte[] zkey = Files.readAllBytes(dir.resolve("multiplier.zkey"));
    long[] wtns = Wtns.read(dir.resolve("multiplier.wtns"));
    // flip the lowest bit of the first point's y (Montgomery form, little-endian): y + 1 or y - 1
    // is not on the curve for any x (and (0, 1) is not infinity)
    int at = sectionStart(zkey, section) + 32;
    zkey[at] ^= 1;
    Path bad = tmp.resolve("bad.zkey");
    Files.write(bad, zkey);
    Zkey z = Zkey.open(bad);
    try {
      assertThatThrownBy(() -> Groth16Prover.prove(z, wtns, 2, new Random(1)))
          .isInstanceOf(ZkInputException.class)
          .hasMessageContaining(what + " point 0 is not on G1");
    } finally {
      z.close();
    }
  }

  /** The byte offset of a section's body in an iden3 container. */
  private static int sectionStart(byte[] file, int type) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int n = b.getInt(8);
    int pos = 12;
    for (int i = 0; i < n; i++) {
      int t = b.getInt(pos);
      long len = b.getLong(pos + 4);
      pos += 12;
      if (t == type) {
        assertThat(len).isGreaterThanOrEqualTo(64);
        return pos;
      }
      pos += (int) len;
    }
    throw new AssertionError("no section " + type);
  }
}
