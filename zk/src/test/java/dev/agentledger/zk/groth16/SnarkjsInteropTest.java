package dev.agentledger.zk.groth16;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentledger.zk.iden3.Zkey;
import java.math.BigInteger;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnarkjsInteropTest {
  @ParameterizedTest
  @ValueSource(strings = {"multiplier", "poseidon", "merkle"})
  void exportedKeyEqualsSnarkjsAndSnarkjsProofVerifies(String name) {
    Path dir = Circuits.build(name);
    Zkey z = Zkey.open(dir.resolve(name + ".zkey"));
    try {
      String ours = VerificationKey.of(z).toJson();
      assertThat(ours).isEqualTo(Circuits.read(dir.resolve("verification_key.json")));
    } finally {
      z.close();
    }
    VerificationKey vk =
        VerificationKey.fromJson(Circuits.read(dir.resolve("verification_key.json")), "vk");
    Proof proof = Proof.fromJson(Circuits.read(dir.resolve("snarkjs/proof.json")), "proof");
    BigInteger[] pub =
        Proof.publicFromJson(Circuits.read(dir.resolve("snarkjs/public.json")), "public");
    assertThat(Groth16Verifier.verify(vk, proof, pub)).isTrue();
    BigInteger[] wrong = pub.clone();
    wrong[0] = wrong[0].add(BigInteger.ONE);
    assertThat(Groth16Verifier.verify(vk, proof, wrong)).isFalse();
  }
}
