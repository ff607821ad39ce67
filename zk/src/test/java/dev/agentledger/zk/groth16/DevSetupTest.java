package dev.agentledger.zk.groth16;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.zk.ZkInputException;
import dev.agentledger.zk.iden3.R1cs;
import dev.agentledger.zk.iden3.Wtns;
import dev.agentledger.zk.iden3.Zkey;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The INSECURE development setup: its keys prove and verify with our prover and verifier and with
 * snarkjs's ({@code groth16 prove}, {@code groth16 verify}, {@code zkey export verificationkey}),
 * are a function of the seed, and bad r1cs files are refused.
 */
class DevSetupTest {
  @TempDir Path tmp;

  /** {@code a * b = c}, c public: wires 0 (one), 1 (c), 2 (a), 3 (b). */
  private static byte[] multiplierR1cs() {
    ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    b.put("r1cs".getBytes()).putInt(1).putInt(2);
    b.putInt(1).putLong(4 + 32 + 4 * 4 + 8 + 4);
    b.putInt(32);
    putScalar(b, dev.agentledger.zk.field.Bn254.R);
    b.putInt(4).putInt(1).putInt(0).putInt(2).putLong(4).putInt(1);
    b.putInt(2).putLong(3 * (4 + 36));
    for (int wire : new int[] {2, 3, 1}) {
      b.putInt(1).putInt(wire);
      putScalar(b, BigInteger.ONE);
    }
    return Arrays.copyOf(b.array(), b.position());
  }

  private static void putScalar(ByteBuffer b, BigInteger v) {
    for (long l : dev.agentledger.zk.field.MontField.toLimbs(v)) {
      b.putLong(l);
    }
  }

  private static long[] witness(long a, long bb) {
    return new long[] {1, 0, 0, 0, a * bb, 0, 0, 0, a, 0, 0, 0, bb, 0, 0, 0};
  }

  @Test
  void handWrittenMultiplierKeyProvesAndVerifies() throws IOException {
    Path r1cs = tmp.resolve("m.r1cs");
    Files.write(r1cs, multiplierR1cs());
    Path zkey = tmp.resolve("m.zkey");
    DevSetup.write(R1cs.read(r1cs), zkey, 11, 2);
    Zkey z = Zkey.open(zkey);
    try {
      assertThat(z.domainSize).isEqualTo(4);
      VerificationKey vk = VerificationKey.of(z);
      Groth16Prover.Output o = Groth16Prover.prove(z, witness(3, 4), 1, new Random(2));
      assertThat(o.publicSignals()).containsExactly(BigInteger.valueOf(12));
      assertThat(Groth16Verifier.verify(vk, o.proof(), o.publicSignals())).isTrue();
      assertThat(Groth16Verifier.verify(vk, o.proof(), new BigInteger[] {BigInteger.TEN}))
          .isFalse();
      // a witness that does not satisfy a * b = c gives a proof that does not verify
      long[] bad = witness(3, 4);
      bad[4] = 13;
      Groth16Prover.Output forged = Groth16Prover.prove(z, bad, 1, new Random(2));
      assertThat(Groth16Verifier.verify(vk, forged.proof(), forged.publicSignals())).isFalse();
    } finally {
      z.close();
    }
  }

  /**
   * MSMs C and B2 run on the prover's second thread: a bad point there is still the prover's {@link
   * ZkInputException}, on one thread and on two.
   */
  @Test
  void badPointOfTheSecondThreadIsABadInput() throws IOException {
    Path r1cs = tmp.resolve("m.r1cs");
    Files.write(r1cs, multiplierR1cs());
    Path good = tmp.resolve("good.zkey");
    DevSetup.write(R1cs.read(r1cs), good, 11, 1);
    for (int section : new int[] {7, 8}) {
      byte[] bytes = Files.readAllBytes(good);
      // the y coordinate's low byte of the section's first point, plus one: off the curve
      bytes[(int) sectionOffset(bytes, section) + (section == 7 ? 64 : 32)] ^= 1;
      Path bad = tmp.resolve("bad" + section + ".zkey");
      Files.write(bad, bytes);
      for (int threads : new int[] {1, 2}) {
        Zkey z = Zkey.open(bad);
        try {
          assertThatThrownBy(() -> Groth16Prover.prove(z, witness(3, 4), threads, new Random(2)))
              .isInstanceOf(ZkInputException.class)
              .hasMessageContaining(section == 7 ? "B2 point 0" : "C point 0");
        } finally {
          z.close();
        }
      }
    }
  }

  /** File offset of a section's bytes in an iden3 container. */
  private static long sectionOffset(byte[] file, int type) {
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    b.position(8);
    int n = b.getInt();
    for (int i = 0; i < n; i++) {
      int t = b.getInt();
      long size = b.getLong();
      if (t == type) {
        return b.position();
      }
      b.position((int) (b.position() + size));
    }
    throw new AssertionError("no section " + type);
  }

  @Test
  void keyIsAFunctionOfTheSeed() throws IOException {
    Path r1cs = tmp.resolve("m.r1cs");
    Files.write(r1cs, multiplierR1cs());
    R1cs r = R1cs.read(r1cs);
    DevSetup.write(r, tmp.resolve("a.zkey"), 5, 1);
    DevSetup.write(r, tmp.resolve("b.zkey"), 5, 2);
    DevSetup.write(r, tmp.resolve("c.zkey"), 6, 1);
    byte[] a = Files.readAllBytes(tmp.resolve("a.zkey"));
    assertThat(Files.readAllBytes(tmp.resolve("b.zkey"))).isEqualTo(a);
    assertThat(Files.readAllBytes(tmp.resolve("c.zkey"))).isNotEqualTo(a);
  }

  @Test
  void badR1csFilesAreRefused() throws IOException {
    byte[] good = multiplierR1cs();
    Path p = tmp.resolve("bad.r1cs");
    Files.write(p, Arrays.copyOf(good, good.length - 5));
    assertThatThrownBy(() -> R1cs.read(p))
        .isInstanceOf(ZkInputException.class)
        .hasMessageContaining("truncated");
    byte[] wire = good.clone();
    // the first term's wire of constraint 0 (after the section header and the term count)
    int at = 12 + 12 + 64 + 12 + 4;
    ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN).putInt(at, 9);
    Files.write(p, wire);
    assertThatThrownBy(() -> R1cs.read(p))
        .isInstanceOf(ZkInputException.class)
        .hasMessageContaining("wire 9");
    byte[] prime = good.clone();
    prime[12 + 12 + 4] ^= 1;
    Files.write(p, prime);
    assertThatThrownBy(() -> R1cs.read(p))
        .isInstanceOf(ZkInputException.class)
        .hasMessageContaining("wrong curve");
  }

  @ParameterizedTest
  @ValueSource(strings = {"multiplier", "poseidon"})
  void snarkjsProvesAndVerifiesWithTheDevKey(String name) throws IOException {
    Path dir = Circuits.compile(name);
    Path zkey = dir.resolve(name + ".dev.zkey");
    DevSetup.write(R1cs.read(dir.resolve(name + ".r1cs")), zkey, 3, 2);
    assertThat(
            Circuits.snarkjs(
                dir, "zkey", "export", "verificationkey", name + ".dev.zkey", "dev-vk.json"))
        .isZero();
    String vkText = Circuits.read(dir.resolve("dev-vk.json"));
    VerificationKey vk = VerificationKey.fromJson(vkText, "vk");
    Zkey z = Zkey.open(zkey);
    Groth16Prover.Output ours;
    try {
      assertThat(VerificationKey.of(z).toJson()).isEqualTo(vkText);
      ours = Groth16Prover.prove(z, Wtns.read(dir.resolve(name + ".wtns")), 2, new Random(1));
    } finally {
      z.close();
    }
    // snarkjs proves with our key; we verify its proof
    Files.createDirectories(dir.resolve("dev-snarkjs"));
    assertThat(
            Circuits.snarkjs(
                dir,
                "groth16",
                "prove",
                name + ".dev.zkey",
                name + ".wtns",
                "dev-snarkjs/proof.json",
                "dev-snarkjs/public.json"))
        .isZero();
    Proof theirs = Proof.fromJson(Circuits.read(dir.resolve("dev-snarkjs/proof.json")), "proof");
    String theirPublic = Circuits.read(dir.resolve("dev-snarkjs/public.json"));
    BigInteger[] pub = Proof.publicFromJson(theirPublic, "public");
    assertThat(Groth16Verifier.verify(vk, theirs, pub)).isTrue();
    assertThat(
            Circuits.snarkjs(
                dir,
                "groth16",
                "verify",
                "dev-vk.json",
                "dev-snarkjs/public.json",
                "dev-snarkjs/proof.json"))
        .isZero();
    // our proof, checked by snarkjs
    Path out = dir.resolve("dev-ours");
    Files.createDirectories(out);
    Files.writeString(out.resolve("proof.json"), ours.proof().toJson());
    Files.writeString(out.resolve("public.json"), Proof.publicToJson(ours.publicSignals()));
    assertThat(Proof.publicToJson(ours.publicSignals())).isEqualTo(theirPublic);
    assertThat(
            Circuits.snarkjs(
                dir,
                "groth16",
                "verify",
                "dev-vk.json",
                "dev-ours/public.json",
                "dev-ours/proof.json"))
        .isZero();
    // and a wrong public input is rejected by both
    BigInteger[] wrong = pub.clone();
    wrong[0] = wrong[0].add(BigInteger.ONE);
    assertThat(Groth16Verifier.verify(vk, ours.proof(), wrong)).isFalse();
    Files.writeString(out.resolve("wrong.json"), Proof.publicToJson(wrong));
    assertThat(
            Circuits.snarkjs(
                dir,
                "groth16",
                "verify",
                "dev-vk.json",
                "dev-ours/wrong.json",
                "dev-ours/proof.json"))
        .isNotZero();
  }
}
