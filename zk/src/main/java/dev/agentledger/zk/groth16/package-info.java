/**
 * Groth16 (Groth, EUROCRYPT 2016) as snarkjs implements it: the prover's QAP evaluation on the odd
 * coset, the MSMs and blinding; the verifier's four-pairing product check; the JSON files {@code
 * proof.json}, {@code public.json} and {@code verification_key.json} byte for byte as snarkjs
 * writes them.
 */
package dev.agentledger.zk.groth16;
