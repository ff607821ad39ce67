package dev.agentledger.zk.groth16;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentledger.zk.ZkInputException;
import dev.agentledger.zk.iden3.Wtns;
import dev.agentledger.zk.iden3.Zkey;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Groth16 against snarkjs on circuits compiled by circom2: the exported key is byte-identical, each
 * side accepts the other's proofs, and tampered proofs, wrong public inputs and proofs for another
 * key are rejected.
 */
class SnarkjsInteropTest {
  @ParameterizedTest
  @ValueSource(strings = {"multiplier", "poseidon"})
  void interoperatesWithSnarkjs(String name) throws IOException {
    check(name);
  }

  @Test
  @Tag("slow")
  void merkleInclusionDepth10InteroperatesWithSnarkjs() throws IOException {
    check("merkle");
  }

  @Test
  void proofForAnotherKeyIsRejected() {
    Path mul = Circuits.build("multiplier");
    Path pos = Circuits.build("poseidon");
    VerificationKey vkPos =
        VerificationKey.fromJson(Circuits.read(pos.resolve("verification_key.json")), "vk");
    Proof proofMul = Proof.fromJson(Circuits.read(mul.resolve("snarkjs/proof.json")), "proof");
    BigInteger[] pubPos =
        Proof.publicFromJson(Circuits.read(pos.resolve("snarkjs/public.json")), "public");
    assertThat(Groth16Verifier.verify(vkPos, proofMul, pubPos)).isFalse();
  }

  private static void check(String name) throws IOException {
    Path dir = Circuits.build(name);
    String vkText = Circuits.read(dir.resolve("verification_key.json"));
    Zkey z = Zkey.open(dir.resolve(name + ".zkey"));
    Groth16Prover.Output ours;
    try {
      assertThat(VerificationKey.of(z).toJson()).isEqualTo(vkText);
      ours = Groth16Prover.prove(z, Wtns.read(dir.resolve(name + ".wtns")), 2, new Random(1));
    } finally {
      z.close();
    }
    VerificationKey vk = VerificationKey.fromJson(vkText, "vk");

    // snarkjs's proof, checked by us
    Proof theirs = Proof.fromJson(Circuits.read(dir.resolve("snarkjs/proof.json")), "proof");
    String theirPublic = Circuits.read(dir.resolve("snarkjs/public.json"));
    BigInteger[] pub = Proof.publicFromJson(theirPublic, "public");
    assertThat(Groth16Verifier.verify(vk, theirs, pub)).isTrue();

    // our proof, checked by snarkjs and by us; public.json identical to snarkjs's
    Path out = dir.resolve("ours");
    Files.createDirectories(out);
    Files.writeString(out.resolve("proof.json"), ours.proof().toJson());
    Files.writeString(out.resolve("public.json"), Proof.publicToJson(ours.publicSignals()));
    assertThat(Proof.publicToJson(ours.publicSignals())).isEqualTo(theirPublic);
    assertThat(Groth16Verifier.verify(vk, ours.proof(), pub)).isTrue();
    assertThat(
            Circuits.snarkjs(
                dir,
                "groth16",
                "verify",
                "verification_key.json",
                "ours/public.json",
                "ours/proof.json"))
        .isZero();

    // a wrong public input
    BigInteger[] wrong = pub.clone();
    wrong[wrong.length - 1] = wrong[wrong.length - 1].add(BigInteger.ONE);
    assertThat(Groth16Verifier.verify(vk, ours.proof(), wrong)).isFalse();
    assertThat(Groth16Verifier.verify(vk, theirs, wrong)).isFalse();

    // every single-character change of a digit in our proof is rejected (malformed or invalid)
    String proofJson = ours.proof().toJson();
    Random rnd = new Random(name.hashCode());
    int tried = 0;
    while (tried < 6) {
      int i = rnd.nextInt(proofJson.length());
      char ch = proofJson.charAt(i);
      if (ch < '0' || ch > '9') {
        continue;
      }
      char other = (char) ('0' + (ch - '0' + 1 + rnd.nextInt(9)) % 10);
      String tampered = proofJson.substring(0, i) + other + proofJson.substring(i + 1);
      tried++;
      boolean accepted;
      try {
        accepted = Groth16Verifier.verify(vk, Proof.fromJson(tampered, "tampered"), pub);
      } catch (ZkInputException e) {
        accepted = false;
      }
      assertThat(accepted).as("tampered at %d", i).isFalse();
    }
  }

  @Test
  void witnessOfAnotherCircuitIsRefused() {
    Path mul = Circuits.build("multiplier");
    Path pos = Circuits.build("poseidon");
    Zkey z = Zkey.open(mul.resolve("multiplier.zkey"));
    try {
      long[] w = Wtns.read(pos.resolve("poseidon.wtns"));
      assertThatThrownBy(() -> Groth16Prover.prove(z, w, 1))
          .isInstanceOf(ZkInputException.class)
          .hasMessageContaining("witness");
    } finally {
      z.close();
    }
  }
}
