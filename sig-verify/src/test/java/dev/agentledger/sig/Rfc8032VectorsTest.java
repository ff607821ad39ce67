package dev.agentledger.sig;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8032 section 7.1 vectors: public keys and signatures byte-identical, verification ok. */
class Rfc8032VectorsTest {
  static final HexFormat HEX = HexFormat.of();

  static List<String[]> load(String name) throws IOException {
    try (InputStream in = Rfc8032VectorsTest.class.getResourceAsStream("/vectors/" + name)) {
      assertThat(in).as(name).isNotNull();
      List<String[]> rows = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String t = line.strip();
        if (!t.isEmpty() && !t.startsWith("#")) {
          rows.add(t.split("\\s+"));
        }
      }
      return rows;
    }
  }

  static byte[] hexOrEmpty(String s) {
    return s.equals("-") ? new byte[0] : HEX.parseHex(s);
  }

  @Test
  void signaturesAndKeysAreByteIdentical() throws IOException {
    List<String[]> rows = load("rfc8032-ed25519.txt");
    assertThat(rows).hasSize(3);
    for (String[] row : rows) {
      byte[] seed = HEX.parseHex(row[0]);
      byte[] message = hexOrEmpty(row[2]);
      assertThat(HEX.formatHex(Ed25519.publicKey(seed))).isEqualTo(row[1]);
      assertThat(HEX.formatHex(Ed25519.sign(seed, message))).isEqualTo(row[3]);
      assertThat(Ed25519.verify(HEX.parseHex(row[1]), HEX.parseHex(row[3]), message)).isTrue();
      byte[] wrong =
          (row[2].equals("-") ? "00" : row[2] + "00").getBytes(StandardCharsets.US_ASCII);
      assertThat(Ed25519.verify(HEX.parseHex(row[1]), HEX.parseHex(row[3]), wrong)).isFalse();
    }
  }
}
