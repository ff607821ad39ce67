pragma circom 2.0.0;

include "circomlib/circuits/poseidon.circom";

// N_CONSTRAINTS chained circomlib Poseidon(2) hashes h[i+1] = Poseidon(h[i], i), for prover
// benchmarks (the placeholder counts hashes here, not constraints).
template PoseidonChain(n) {
  signal input x;
  signal output y;
  component p[n];
  signal h[n + 1];
  h[0] <== x;
  for (var i = 0; i < n; i++) {
    p[i] = Poseidon(2);
    p[i].inputs[0] <== h[i];
    p[i].inputs[1] <== i;
    h[i + 1] <== p[i].out;
  }
  y <== h[n];
}

component main = PoseidonChain(N_CONSTRAINTS);
