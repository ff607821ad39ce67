/**
 * Groth16 (Groth, EUROCRYPT 2016) as snarkjs implements it: the prover's QAP evaluation on the odd
 * coset, the MSMs (G1 ones on the CPU or an accel backend) and blinding; the verifier's
 * four-pairing product check; the JSON files {@code proof.json}, {@code public.json} and {@code
 * verification_key.json} byte for byte as snarkjs writes them; and an INSECURE development setup
 * ({@code DevSetup}: toxic waste from a public seed, for benchmarks) that writes snarkjs-compatible
 * proving keys from a circom {@code .r1cs}.
 */
package dev.agentledger.zk.groth16;
