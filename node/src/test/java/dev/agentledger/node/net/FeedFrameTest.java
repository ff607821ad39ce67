package dev.agentledger.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** SUBSCRIBE, FEED and FEED_END: encoders and their bounds in {@link Wire#validate}. */
class FeedFrameTest {
  private final UnsafeBuffer b = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME]);

  @Test
  void subscribeCarriesZeroTo256Keys() {
    assertThat(Wire.validate(b, 0, Wire.subscribeHeader(b, 0, 1, 0, 0)))
        .isEqualTo(Wire.FrameError.OK);
    assertThat(Wire.validate(b, 0, Wire.subscribeHeader(b, 0, 1, 5, 256)))
        .isEqualTo(Wire.FrameError.OK);
    int n = Wire.subscribeHeader(b, 0, 1, 5, 2);
    assertThat(Wire.validate(b, 0, n - 1)).isEqualTo(Wire.FrameError.BAD_LENGTH);
    assertThat(Wire.validate(b, 0, Wire.subscribeHeader(b, 0, 1, 0, 257)))
        .isEqualTo(Wire.FrameError.BAD_COUNT);
    assertThat(Wire.validate(b, 0, Wire.subscribeHeader(b, 0, 1, -1, 0)))
        .isEqualTo(Wire.FrameError.BAD_CONTENT);
    assertThat(MessageType.isClientRequest(MessageType.SUBSCRIBE)).isTrue();
    assertThat(MessageType.isClientRequest(MessageType.FEED)).isFalse();
  }

  @Test
  void feedFramesAreBoundedAndFlagsChecked() {
    int n = Wire.feedHeader(b, 0, 1, 3, 600, 256, Wire.FEED_LAST);
    assertThat(n).isEqualTo(Wire.MAX_FEED_FRAME);
    assertThat(Wire.validate(b, 0, n)).isEqualTo(Wire.FrameError.OK);
    assertThat(Wire.validate(b, 0, n - 1)).isEqualTo(Wire.FrameError.BAD_LENGTH);
    n = Wire.feedHeader(b, 0, 1, 3, 600, 257, 0);
    assertThat(Wire.validate(b, 0, n)).isEqualTo(Wire.FrameError.BAD_COUNT);
    n = Wire.feedHeader(b, 0, 1, 3, 0, 0, Wire.FEED_SUBSCRIBED);
    assertThat(Wire.validate(b, 0, n)).isEqualTo(Wire.FrameError.OK);
    n = Wire.feedHeader(b, 0, 1, 3, 1, 1, Wire.FEED_SUBSCRIBED);
    assertThat(Wire.validate(b, 0, n)).isEqualTo(Wire.FrameError.BAD_CONTENT);
    n = Wire.feedHeader(b, 0, 1, 3, 1, 1, 4);
    assertThat(Wire.validate(b, 0, n)).isEqualTo(Wire.FrameError.BAD_CONTENT);
  }

  @Test
  void feedEndNamesAKnownReason() {
    byte[] text = "slow".getBytes(StandardCharsets.UTF_8);
    int n = Wire.feedEnd(b, 0, 7, FeedEndReason.SLOW_SUBSCRIBER, text);
    assertThat(Wire.validate(b, 0, n)).isEqualTo(Wire.FrameError.OK);
    b.putShort(Wire.HEADER_LENGTH + Wire.FEED_END_REASON, (short) 99, ByteOrder.LITTLE_ENDIAN);
    assertThat(Wire.validate(b, 0, n)).isEqualTo(Wire.FrameError.BAD_CONTENT);
    n = Wire.feedEnd(b, 0, 7, FeedEndReason.CLOSING, new byte[5000]);
    assertThat(n).isEqualTo(Wire.HEADER_LENGTH + Wire.FEED_END_TEXT + Wire.MAX_FEED_END_TEXT);
    assertThat(Wire.validate(b, 0, n)).isEqualTo(Wire.FrameError.OK);
    for (FeedEndReason r : FeedEndReason.values()) {
      assertThat(FeedEndReason.fromCode(r.code())).isEqualTo(r);
    }
  }
}
