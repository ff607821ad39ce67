package dev.agentledger.zk.groth16;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentledger.accel.Backend;
import dev.agentledger.accel.BackendRegistry;
import dev.agentledger.accel.Capability;
import dev.agentledger.zk.iden3.R1cs;
import dev.agentledger.zk.iden3.Wtns;
import dev.agentledger.zk.iden3.Zkey;
import dev.agentledger.zk.msm.BackendMsm;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The prover with its G1 MSMs on the OpenCL backend (PoCL in CI) gives the CPU prover's proof for
 * the same blinding, on circomlib's Poseidon with a development key.
 */
class OpenClProveTest {
  @Test
  void openClProofEqualsCpuProof() {
    try (BackendRegistry registry = BackendRegistry.discover()) {
      Backend cl = registry.find("opencl").orElse(null);
      assumeTrue(
          cl != null && cl.supports(Capability.MSM_BN254_G1),
          () ->
              "no OpenCL device: "
                  + (cl == null ? "backend absent" : cl.probe().reason().orElse("no msm")));
      Path dir = Circuits.compile("poseidon");
      Path zkey = dir.resolve("poseidon.cl.zkey");
      DevSetup.write(R1cs.read(dir.resolve("poseidon.r1cs")), zkey, 4, 2);
      long[] w = Wtns.read(dir.resolve("poseidon.wtns"));
      Zkey z = Zkey.open(zkey);
      try {
        Groth16Prover.Output cpu = Groth16Prover.prove(z, w, 2, new Random(3));
        Groth16Prover.Output dev =
            Groth16Prover.prove(
                z, w, 2, new Random(3), (p, k, n) -> BackendMsm.msm(cl, p, k, n).sum());
        assertThat(dev.proof().toJson()).isEqualTo(cpu.proof().toJson());
        VerificationKey vk = VerificationKey.of(z);
        assertThat(Groth16Verifier.verify(vk, dev.proof(), dev.publicSignals())).isTrue();
      } finally {
        z.close();
      }
    }
  }
}
