/**
 * The SNARK engine: BN254 arithmetic, pairing, MSM, NTT and a Groth16 prover and verifier that read
 * and write circom's and snarkjs's files. Sub-packages, bottom up: {@code field} (Montgomery
 * arithmetic), {@code curve} (G1, G2), {@code pairing} (optimal ate), {@code msm} (Pippenger),
 * {@code ntt} (radix-2 over Fr), {@code iden3} (binary file formats), {@code json}, {@code
 * groth16}, {@code bench}. Bad input surfaces as {@link dev.agentledger.zk.ZkInputException}.
 */
package dev.agentledger.zk;
