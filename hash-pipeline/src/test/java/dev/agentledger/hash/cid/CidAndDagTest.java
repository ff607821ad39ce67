package dev.agentledger.hash.cid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class CidAndDagTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void rawCidsMatchTheIndependentVectors() throws IOException {
    int checked = 0;
    try (InputStream in = getClass().getResourceAsStream("/vectors/cid-raw.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split(" ");
        byte[] data = f[0].equals("-") ? new byte[0] : HEX.parseHex(f[0]);
        Cid cid = Cid.raw(data);
        assertThat(cid.toString()).isEqualTo(f[1]);
        assertThat(Cid.parse(f[1])).isEqualTo(cid);
        assertThat(cid.toBytes()).hasSize(36);
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(16);
  }

  @Property(tries = 200)
  void base32RoundTrips(@ForAll byte[] data) {
    assertThat(Base32.decode(Base32.encode(data))).isEqualTo(data);
  }

  @Test
  void malformedCidTextIsRejected() {
    String good = Cid.raw(new byte[] {1}).toString();
    assertThatThrownBy(() -> Cid.parse("z" + good.substring(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cid.parse(good.toUpperCase()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cid.parse(good.substring(0, good.length() - 2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dagCborIsDeterministicAndKnownBytes() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("seq", 1L);
    a.put("a", "x");
    a.put("bb", List.of(-1L, true));
    Map<String, Object> b = new HashMap<>(a);
    assertThat(DagCbor.encode(a)).isEqualTo(DagCbor.encode(b));
    // {"a": "x", "bb": [-1, true], "seq": 1} with keys length-first: a, bb, seq.
    assertThat(HEX.formatHex(DagCbor.encode(a))).isEqualTo("a3616161786262628220f563736571" + "01");
    assertThat(DagCbor.decode(DagCbor.encode(a))).isEqualTo(a);
    assertThat(HEX.formatHex(DagCbor.encode(1_000_000L))).isEqualTo("1a000f4240");
    assertThat(HEX.formatHex(DagCbor.encode(-500L))).isEqualTo("3901f3");
  }

  @Test
  void nonDeterministicDagCborIsRejected() {
    for (String hex :
        new String[] {
          "1817", // 23 with a one-byte argument: not minimal
          "a2616201616101", // keys b, a: unsorted
          "a2616101616102", // duplicate key
          "5f4100ff", // indefinite byte string
          "f93c00", // half float
          "c10a", // tag 1
          "d82a4101", // tag 42 without the 0x00 prefix
          "a1016101", // integer key
          "8201", // truncated array
          "0101", // trailing byte
        }) {
      assertThatThrownBy(() -> DagCbor.decode(HEX.parseHex(hex)))
          .as(hex)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void historyDagVerifiesAndEveryCorruptionIsFound() {
    Random random = new Random(3);
    Map<Cid, byte[]> blocks = new HashMap<>();
    List<Cid> previous = List.of();
    Cid tip = null;
    for (int seq = 0; seq < 20; seq++) {
      byte[] body = new byte[random.nextInt(100)];
      random.nextBytes(body);
      Cid bodyCid = Cid.raw(body);
      blocks.put(bodyCid, body);
      byte[] run = new byte[32];
      random.nextBytes(run);
      HistoryNode node = new HistoryNode(run, seq, previous, bodyCid);
      byte[] block = node.encode();
      tip = node.cid();
      blocks.put(tip, block);
      assertThat(HistoryNode.decode(block).cid()).isEqualTo(tip);
      assertThat(HistoryNode.decode(block).parents()).isEqualTo(previous);
      previous = seq % 3 == 0 && seq > 0 ? List.of(tip, previous.get(0)) : List.of(tip);
    }
    DagVerifier.Result ok = DagVerifier.verify(tip, blocks::get);
    assertThat(ok.ok()).as(ok.problem()).isTrue();
    assertThat(ok.blocks()).isEqualTo(40);
    for (Cid victim : new ArrayList<>(blocks.keySet())) {
      Map<Cid, byte[]> missing = new HashMap<>(blocks);
      missing.remove(victim);
      assertThat(DagVerifier.verify(tip, missing::get).ok()).isFalse();
      Map<Cid, byte[]> flipped = new HashMap<>(blocks);
      byte[] bad = blocks.get(victim).clone();
      if (bad.length == 0) {
        bad = new byte[] {0};
      } else {
        bad[random.nextInt(bad.length)] ^= 1;
      }
      flipped.put(victim, bad);
      DagVerifier.Result result = DagVerifier.verify(tip, flipped::get);
      assertThat(result.ok()).isFalse();
      assertThat(result.problem()).contains(victim.toString());
    }
  }
}
