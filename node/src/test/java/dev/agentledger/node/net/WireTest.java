package dev.agentledger.node.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Frame decoding under well-formed, random and mutated input: bounded, total, never throws. */
class WireTest {
  static UnsafeBuffer sampleFrame(int type, Random random) {
    UnsafeBuffer b = new UnsafeBuffer(new byte[Wire.HEADER_LENGTH + 46 + 3 * Wire.RECORD]);
    byte[] key = new byte[32];
    random.nextBytes(key);
    int length =
        switch (type % 7) {
          case 0 -> Wire.batchHeader(b, 0, 1, 7, key, 1);
          case 1 -> Wire.statusRequest(b, 0, 9);
          case 2 -> Wire.submitHeader(b, 0, 1, 2);
          case 3 -> Wire.batchHeader(b, 0, 3, 9, key, 3);
          case 4 -> Wire.batchAck(b, 0, 1, 2, key, 3, new byte[64]);
          case 5 -> Wire.batchRequest(b, 0, 1, 2, key);
          default -> Wire.statusRequest(b, 0, 5);
        };
    return new UnsafeBuffer(b.byteArray(), 0, length);
  }

  @Test
  void encodedFramesValidate() {
    Random random = new Random(1);
    for (int t = 0; t < 7; t++) {
      UnsafeBuffer f = sampleFrame(t, random);
      assertThat(Wire.validate(f, 0, f.capacity())).as("type %d", t).isEqualTo(Wire.FrameError.OK);
    }
  }

  @Test
  void truncatedAndExtendedFramesAreRefused() {
    Random random = new Random(2);
    for (int t = 0; t < 7; t++) {
      UnsafeBuffer f = sampleFrame(t, random);
      assertThat(Wire.validate(f, 0, f.capacity() - 1)).isNotEqualTo(Wire.FrameError.OK);
      UnsafeBuffer longer = new UnsafeBuffer(new byte[f.capacity() + 1]);
      longer.putBytes(0, f, 0, f.capacity());
      assertThat(Wire.validate(longer, 0, longer.capacity())).isNotEqualTo(Wire.FrameError.OK);
    }
  }

  @Test
  void submitCountBoundsAreEnforced() {
    UnsafeBuffer b = new UnsafeBuffer(new byte[Wire.MAX_CLIENT_FRAME + Wire.RECORD]);
    int len = Wire.submitHeader(b, 0, 1, 0);
    assertThat(Wire.validate(b, 0, len)).isEqualTo(Wire.FrameError.BAD_COUNT);
    len = Wire.submitHeader(b, 0, 1, Wire.MAX_SUBMIT_RECORDS + 1);
    assertThat(Wire.validate(b, 0, len)).isEqualTo(Wire.FrameError.BAD_COUNT);
    len = Wire.submitHeader(b, 0, 1, Wire.MAX_SUBMIT_RECORDS);
    assertThat(Wire.validate(b, 0, len)).isEqualTo(Wire.FrameError.OK);
  }

  @Property(tries = 3000)
  void randomBytesNeverThrow(@ForAll @Size(max = 2000) byte[] bytes) {
    UnsafeBuffer b = new UnsafeBuffer(bytes);
    Wire.FrameError e = Wire.validate(b, 0, bytes.length);
    assertThat(e).isNotNull();
  }

  @Property(tries = 3000)
  void randomBodiesWithValidHeaderNeverThrow(
      @ForAll("types") byte type, @ForAll @Size(max = 1500) byte[] body) {
    byte[] bytes = new byte[Wire.HEADER_LENGTH + body.length];
    bytes[0] = Wire.PROTOCOL_VERSION;
    bytes[1] = type;
    System.arraycopy(body, 0, bytes, Wire.HEADER_LENGTH, body.length);
    assertThat(Wire.validate(new UnsafeBuffer(bytes), 0, bytes.length)).isNotNull();
  }

  @Provide
  Arbitrary<Byte> types() {
    return Arbitraries.of(
        (byte) 1, (byte) 2, (byte) 10, (byte) 11, (byte) 12, (byte) 13, (byte) 20, (byte) 21,
        (byte) 22, (byte) 23, (byte) 99);
  }

  @Property(tries = 3000)
  void mutatedValidFramesNeverThrow(
      @ForAll("typeIndex") int t, @ForAll long seed, @ForAll("positions") int mutations) {
    Random random = new Random(seed);
    UnsafeBuffer f = sampleFrame(t, random);
    byte[] bytes = java.util.Arrays.copyOf(f.byteArray(), f.capacity());
    for (int i = 0; i < mutations; i++) {
      bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
    }
    int length = Math.max(0, bytes.length - random.nextInt(3));
    Wire.FrameError e = Wire.validate(new UnsafeBuffer(bytes), 0, length);
    if (e == Wire.FrameError.OK) {
      // Whatever passes is internally consistent: the declared type's own bounds hold.
      assertThat(Wire.type(new UnsafeBuffer(bytes), 0)).isNotZero();
    }
  }

  @Provide
  Arbitrary<Integer> typeIndex() {
    return Arbitraries.integers().between(0, 6);
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(1, 6);
  }
}
