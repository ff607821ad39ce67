package dev.agentledger.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The execution stage's peer frames: exact lengths and bounded requests, checked before any handler
 * reads them.
 */
class CommitSignatureFrameTest {
  @Test
  void commitSignatureRoundTripsAndIsExactLength() {
    UnsafeBuffer b = new UnsafeBuffer(new byte[256]);
    byte[] hash = new byte[32];
    byte[] sig = new byte[64];
    for (int i = 0; i < 64; i++) {
      sig[i] = (byte) i;
      hash[i % 32] = (byte) (100 + i);
    }
    int n = Wire.commitSignature(b, 0, 77, hash, sig);
    assertThat(n).isEqualTo(Wire.HEADER_LENGTH + 104);
    assertThat(Wire.validate(b, 0, n)).isEqualTo(Wire.FrameError.OK);
    assertThat(MessageType.isPeerMessage(Wire.type(b, 0))).isTrue();
    assertThat(MessageType.isClientRequest(Wire.type(b, 0))).isFalse();
    assertThat(b.getLong(Wire.HEADER_LENGTH + Wire.COMMIT_SEQUENCE, ByteOrder.LITTLE_ENDIAN))
        .isEqualTo(77);
    byte[] back = new byte[64];
    b.getBytes(Wire.HEADER_LENGTH + Wire.COMMIT_SIGNATURE, back);
    assertThat(back).isEqualTo(sig);
    assertThat(Wire.validate(b, 0, n - 1)).isEqualTo(Wire.FrameError.BAD_LENGTH);
    assertThat(Wire.validate(b, 0, n + 1)).isEqualTo(Wire.FrameError.BAD_LENGTH);
  }

  @Test
  void requestsAreBounded() {
    UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
    int n = Wire.commitSignatureRequest(b, 0, 5, 256);
    assertThat(Wire.validate(b, 0, n)).isEqualTo(Wire.FrameError.OK);
    assertThat(Wire.validate(b, 0, n + 1)).isEqualTo(Wire.FrameError.BAD_LENGTH);
    assertThat(Wire.validate(b, 0, Wire.commitSignatureRequest(b, 0, 5, 0)))
        .isEqualTo(Wire.FrameError.BAD_COUNT);
    assertThat(Wire.validate(b, 0, Wire.commitSignatureRequest(b, 0, 5, 257)))
        .isEqualTo(Wire.FrameError.BAD_COUNT);
    assertThat(Wire.validate(b, 0, Wire.commitSignatureRequest(b, 0, 0, 1)))
        .as("ledger sequences start at 1")
        .isEqualTo(Wire.FrameError.BAD_COUNT);
  }
}
