package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentledger zk}: exit statuses and one-line errors. Proof validity against snarkjs is
 * tested in the zk module (SnarkjsInteropTest); here a key and proof are built from generators.
 */
class ZkCommandTest {
  private static final String G1 = "[\"1\", \"2\", \"1\"]";
  private static final String G2 =
      "[[\"10857046999023057135944570762232829481370756359578518086990519993285655852781\","
          + " \"11559732032986387107991004021392285783925812861821192530917403151452391805634\"],"
          + " [\"8495653923123431417604973247489272438418190587263600148770280649306958101930\","
          + " \"4082367875863433681332203403145435568316851327593401208105741076214120093531\"],"
          + " [\"1\", \"0\"]]";

  private static String vkey() {
    return "{\"protocol\": \"groth16\", \"curve\": \"bn128\", \"nPublic\": 1, \"vk_alpha_1\": "
        + G1
        + ", \"vk_beta_2\": "
        + G2
        + ", \"vk_gamma_2\": "
        + G2
        + ", \"vk_delta_2\": "
        + G2
        + ", \"IC\": ["
        + G1
        + ", "
        + G1
        + "]}";
  }

  private static String proof(String a) {
    return "{\"pi_a\": "
        + a
        + ", \"pi_b\": "
        + G2
        + ", \"pi_c\": "
        + G1
        + ", \"protocol\": \"groth16\", \"curve\": \"bn128\"}";
  }

  private static CliTestSupport.Result verify(Path dir, String vk, String proof, String pub)
      throws IOException {
    Files.writeString(dir.resolve("vk.json"), vk);
    Files.writeString(dir.resolve("proof.json"), proof);
    Files.writeString(dir.resolve("public.json"), pub);
    return CliTestSupport.run(
        "",
        "zk",
        "verify",
        "--vkey",
        dir.resolve("vk.json").toString(),
        "--proof",
        dir.resolve("proof.json").toString(),
        "--public",
        dir.resolve("public.json").toString());
  }

  @Test
  void wellFormedButWrongProofIsInvalidWithStatus1(@TempDir Path dir) throws IOException {
    CliTestSupport.Result r = verify(dir, vkey(), proof(G1), "[\"5\"]");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).contains("invalid");
  }

  @Test
  void malformedInputExitsWith2AndOneLine(@TempDir Path dir) throws IOException {
    CliTestSupport.Result offCurve = verify(dir, vkey(), proof("[\"1\", \"3\", \"1\"]"), "[\"5\"]");
    assertThat(offCurve.status()).isEqualTo(2);
    assertThat(offCurve.err().lines()).hasSize(1);
    assertThat(offCurve.err()).contains("not on the curve");

    CliTestSupport.Result big =
        verify(
            dir,
            vkey(),
            proof(G1),
            "[\"21888242871839275222246405745257275088548364400416034343698204186575808495617\"]");
    assertThat(big.status()).isEqualTo(2);
    assertThat(big.err()).contains("below the field modulus");

    CliTestSupport.Result count = verify(dir, vkey(), proof(G1), "[\"1\", \"2\"]");
    assertThat(count.status()).isEqualTo(2);

    CliTestSupport.Result missing =
        CliTestSupport.run(
            "",
            "zk",
            "export-vkey",
            "--zkey",
            dir.resolve("nope.zkey").toString(),
            "--out",
            dir.resolve("vk2.json").toString());
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err().lines()).hasSize(1);
  }
}
