package dev.agentledger.zk.groth16;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.zk.ZkInputException;
import dev.agentledger.zk.field.Bn254;
import dev.agentledger.zk.iden3.BinFile;
import dev.agentledger.zk.iden3.Wtns;
import dev.agentledger.zk.iden3.Zkey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed input is refused with a clear {@link ZkInputException}, never a wrong "valid". */
class BadInputTest {
  private static final String G1 = "[\"1\", \"2\", \"1\"]";
  private static final String G2 =
      "[[\"10857046999023057135944570762232829481370756359578518086990519993285655852781\","
          + " \"11559732032986387107991004021392285783925812861821192530917403151452391805634\"],"
          + " [\"8495653923123431417604973247489272438418190587263600148770280649306958101930\","
          + " \"4082367875863433681332203403145435568316851327593401208105741076214120093531\"],"
          + " [\"1\", \"0\"]]";

  private static String proof(String a, String b, String c) {
    return "{\"pi_a\": "
        + a
        + ", \"pi_b\": "
        + b
        + ", \"pi_c\": "
        + c
        + ", \"protocol\": \"groth16\", \"curve\": \"bn128\"}";
  }

  @Test
  void wellFormedProofParses() {
    Proof.fromJson(proof(G1, G2, G1), "proof");
  }

  @Test
  void coordinateNotBelowModulusIsRefused() {
    String a = "[\"" + Bn254.P.add(java.math.BigInteger.ONE) + "\", \"2\", \"1\"]";
    assertThatThrownBy(() -> Proof.fromJson(proof(a, G2, G1), "proof"))
        .isInstanceOf(ZkInputException.class)
        .hasMessageContaining("below the field modulus");
  }

  @Test
  void pointOffTheCurveIsRefused() {
    assertThatThrownBy(() -> Proof.fromJson(proof("[\"1\", \"3\", \"1\"]", G2, G1), "proof"))
        .isInstanceOf(ZkInputException.class)
        .hasMessageContaining("not on the curve");
    String b =
        G2.replace(
            "4082367875863433681332203403145435568316851327593401208105741076214120093531",
            "4082367875863433681332203403145435568316851327593401208105741076214120093532");
    assertThatThrownBy(() -> Proof.fromJson(proof(G1, b, G1), "proof"))
        .isInstanceOf(ZkInputException.class)
        .hasMessageContaining("not on the curve");
  }

  @Test
  void publicInputNotBelowGroupOrderIsRefused() {
    assertThatThrownBy(() -> Proof.publicFromJson("[\"" + Bn254.R + "\"]", "public"))
        .isInstanceOf(ZkInputException.class);
    assertThatThrownBy(() -> Proof.publicFromJson("[\"-1\"]", "public"))
        .isInstanceOf(ZkInputException.class);
    assertThatThrownBy(() -> Proof.publicFromJson("[\"0x10\"]", "public"))
        .isInstanceOf(ZkInputException.class);
  }

  @Test
  void brokenJsonAndWrongCurveAreRefused() {
    assertThatThrownBy(() -> Proof.fromJson("{\"pi_a\": [", "proof"))
        .isInstanceOf(ZkInputException.class)
        .hasMessageContaining("malformed JSON");
    assertThatThrownBy(() -> Proof.fromJson(proof(G1, G2, G1).replace("bn128", "bls12381"), "p"))
        .isInstanceOf(ZkInputException.class)
        .hasMessageContaining("wrong curve");
  }

  private static Path container(Path dir, String magic, int sections, byte[] body, int declared)
      throws IOException {
    ByteBuffer b = ByteBuffer.allocate(12 + 12 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(magic.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    b.putInt(1);
    b.putInt(sections);
    b.putInt(1);
    b.putLong(declared);
    b.put(body);
    Path p = dir.resolve("f." + magic);
    Files.write(p, b.array());
    return p;
  }

  @Test
  void truncatedOversizedAndForeignFilesAreRefused(@TempDir Path dir) throws IOException {
    Path truncated = container(dir, "zkey", 1, new byte[8], 100);
    assertThatThrownBy(() -> BinFile.open(truncated, "zkey", 1))
        .isInstanceOf(ZkInputException.class)
        .hasMessageContaining("truncated");
    Path trailing = container(dir, "zkey", 1, new byte[8], 4);
    assertThatThrownBy(() -> BinFile.open(trailing, "zkey", 1))
        .isInstanceOf(ZkInputException.class)
        .hasMessageContaining("trailing");
    Path wtns = container(dir, "wtns", 1, new byte[4], 4);
    assertThatThrownBy(() -> Zkey.open(wtns))
        .isInstanceOf(ZkInputException.class)
        .hasMessageContaining("bad magic");
    Path empty = dir.resolve("empty.zkey");
    Files.write(empty, new byte[3]);
    assertThatThrownBy(() -> Zkey.open(empty)).isInstanceOf(ZkInputException.class);
  }

  @Test
  void witnessOfAnotherCurveIsRefused(@TempDir Path dir) throws IOException {
    // section 1 with n8 = 48 (BLS12-381's base field size), no section 2
    ByteBuffer body = ByteBuffer.allocate(4 + 48 + 4).order(ByteOrder.LITTLE_ENDIAN);
    body.putInt(48);
    Path p = container(dir, "wtns", 1, body.array(), body.capacity());
    assertThatThrownBy(() -> Wtns.read(p))
        .isInstanceOf(ZkInputException.class)
        .hasMessageContaining("wrong curve");
  }
}
