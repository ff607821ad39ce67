package dev.agentledger.sig;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Rfc8032VectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  record Vector(byte[] seed, byte[] publicKey, byte[] message, byte[] signature) {}

  static Stream<Vector> vectors() throws IOException {
    try (InputStream in = Rfc8032VectorsTest.class.getResourceAsStream("/vectors/rfc8032-ed25519.txt")) {
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
      return lines.stream()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(l -> l.split(" "))
          .map(f -> new Vector(HEX.parseHex(f[0]), HEX.parseHex(f[1]), f[2].equals("-") ? new byte[0] : HEX.parseHex(f[2]), HEX.parseHex(f[3])))
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void derivesPublicKeySignsAndVerifies(Vector v) {
    assertThat(Ed25519.publicKey(v.seed())).isEqualTo(v.publicKey());
    assertThat(Ed25519.sign(v.seed(), v.message())).isEqualTo(v.signature());
    assertThat(Ed25519.verify(v.publicKey(), v.signature(), v.message())).isTrue();
  }

  @ParameterizedTest
  @MethodSource("vectors")
  void rejectsAnyFlippedSignatureOrMessageBit(Vector v) {
    for (int bit = 0; bit < 512; bit += 7) {
      byte[] signature = v.signature().clone();
      signature[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(Ed25519.verify(v.publicKey(), signature, v.message())).as("bit %d", bit).isFalse();
    }
    byte[] longer = java.util.Arrays.copyOf(v.message(), v.message().length + 1);
    assertThat(Ed25519.verify(v.publicKey(), v.signature(), longer)).isFalse();
  }
}
