package dev.agentledger.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

  private static final BigInteger R =
      new BigInteger(
          "21888242871839275222246405745257275088548364400416034343698204186575808495617");

  private static void putScalar(ByteBuffer b, BigInteger v) {
    for (int i = 0; i < 4; i++) {
      b.putLong(v.shiftRight(64 * i).longValue());
    }
  }

  /** circom's layout for {@code c <== a * b}: wires one, c (public output), a, b. */
  private static byte[] multiplierR1cs() {
    ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
    b.put("r1cs".getBytes()).putInt(1).putInt(2);
    b.putInt(1).putLong(64).putInt(32);
    putScalar(b, R);
    b.putInt(4).putInt(1).putInt(0).putInt(2).putLong(4).putInt(1);
    b.putInt(2).putLong(3 * 40);
    for (int wire : new int[] {2, 3, 1}) {
      b.putInt(1).putInt(wire);
      putScalar(b, BigInteger.ONE);
    }
    return Arrays.copyOf(b.array(), b.position());
  }

  private static byte[] wtns(long... values) {
    ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
    b.put("wtns".getBytes()).putInt(2).putInt(2);
    b.putInt(1).putLong(40).putInt(32);
    putScalar(b, R);
    b.putInt(values.length);
    b.putInt(2).putLong(32L * values.length);
    for (long v : values) {
      putScalar(b, BigInteger.valueOf(v));
    }
    return Arrays.copyOf(b.array(), b.position());
  }

  private static CliTestSupport.Result prove(Path dir, String backend) {
    return CliTestSupport.run(
        "",
        "zk",
        "prove",
        "--zkey",
        dir.resolve("m.zkey").toString(),
        "--wtns",
        dir.resolve("m.wtns").toString(),
        "--out",
        dir.resolve(backend).toString(),
        "--backend",
        backend);
  }

  private static CliTestSupport.Result verifyDir(Path dir, String proofDir) {
    return CliTestSupport.run(
        "",
        "zk",
        "verify",
        "--vkey",
        dir.resolve("vk.json").toString(),
        "--proof",
        dir.resolve(proofDir + "/proof.json").toString(),
        "--public",
        dir.resolve(proofDir + "/public.json").toString());
  }

  @Test
  void devSetupKeyProvesOnCpuAndOnTheOpenClBackend(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("m.r1cs"), multiplierR1cs());
    Files.write(dir.resolve("m.wtns"), wtns(1, 12, 3, 4));
    CliTestSupport.Result setup =
        CliTestSupport.run(
            "",
            "zk",
            "dev-setup",
            "--r1cs",
            dir.resolve("m.r1cs").toString(),
            "--out",
            dir.resolve("m.zkey").toString(),
            "--seed",
            "9");
    assertThat(setup.status()).isZero();
    assertThat(setup.err()).contains("INSECURE");
    assertThat(
            CliTestSupport.run(
                    "",
                    "zk",
                    "export-vkey",
                    "--zkey",
                    dir.resolve("m.zkey").toString(),
                    "--out",
                    dir.resolve("vk.json").toString())
                .status())
        .isZero();
    assertThat(prove(dir, "cpu").status()).isZero();
    assertThat(Files.readString(dir.resolve("cpu/public.json"))).contains("\"12\"");
    CliTestSupport.Result ok = verifyDir(dir, "cpu");
    assertThat(ok.status()).isZero();
    assertThat(ok.out()).contains("valid");

    CliTestSupport.Result unknown = prove(dir, "nosuch");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err().lines()).hasSize(1);
    assertThat(unknown.err()).contains("unknown backend");

    // opencl: proves (PoCL here) or fails with one line saying why it cannot
    CliTestSupport.Result cl = prove(dir, "opencl");
    if (cl.status() == 0) {
      assertThat(verifyDir(dir, "opencl").status()).isZero();
    } else {
      assertThat(cl.status()).isEqualTo(1);
      assertThat(cl.err().lines()).hasSize(1);
    }
  }

  @Test
  void devSetupOfATruncatedR1csExitsWith2(@TempDir Path dir) throws IOException {
    byte[] good = multiplierR1cs();
    Files.write(dir.resolve("bad.r1cs"), Arrays.copyOf(good, good.length - 3));
    CliTestSupport.Result r =
        CliTestSupport.run(
            "",
            "zk",
            "dev-setup",
            "--r1cs",
            dir.resolve("bad.r1cs").toString(),
            "--out",
            dir.resolve("bad.zkey").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).contains("truncated");
  }

  /** One invocation against {@code cli}: status, stdout and stderr in one string. */
  private static String runOn(picocli.CommandLine cli, String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int status =
        AgentLedgerCli.execute(
            cli, new java.io.PrintWriter(out), new java.io.PrintWriter(err), args);
    return status + "\n" + out + "\n" + err;
  }

  @Test
  void zkTreeAnswersAsTheWholeTree(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("bad.json"), "{");
    String bad = dir.resolve("bad.json").toString();
    String[][] cases = {
      {"zk"},
      {"zk", "--help"},
      {"zk", "prove", "--help"},
      {"zk", "verify", "--help"},
      {"zk", "export-vkey", "--help"},
      {"zk", "dev-setup", "--help"},
      {"zk", "--version"},
      {"zk", "prove"},
      {"zk", "prove", "--zkey", bad, "--wtns", bad, "--out", dir.toString(), "--nosuch"},
      {"zk", "prove", "--zkey", bad, "--wtns", bad, "--out", dir.toString()},
      {"zk", "nosuch"},
      {"zk", "proove"},
      {"zk", "verify", "--vkey", bad, "--proof", bad, "--public", bad},
      {"zk", "--log-level", "debug", "verify", "--vkey", bad, "--proof", bad, "--public", bad},
    };
    for (String[] args : cases) {
      assertThat(ZkCli.handles(args)).isTrue();
      assertThat(runOn(ZkCli.commandLine(), args))
          .as(String.join(" ", args))
          .isEqualTo(runOn(AgentLedgerCli.commandLine(System.in), args));
    }
    assertThat(ZkCli.handles(new String[] {"--log-level", "debug", "zk"})).isFalse();
    assertThat(ZkCli.handles(new String[] {"speed", "msm"})).isFalse();
    assertThat(ZkCli.handles(new String[0])).isFalse();
  }
}
