pragma circom 2.0.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/mux1.circom";

// Inclusion of a leaf in a Poseidon Merkle tree of depth 10: the circuit recomputes the root from
// the leaf and its path; the root is the public output that a verifier compares with the known one.
template MerkleInclusion(depth) {
  signal input leaf;
  signal input pathElements[depth];
  signal input pathIndices[depth];
  signal output root;

  component hashers[depth];
  component muxes[depth];
  signal levels[depth + 1];
  levels[0] <== leaf;
  for (var i = 0; i < depth; i++) {
    pathIndices[i] * (1 - pathIndices[i]) === 0;
    muxes[i] = MultiMux1(2);
    muxes[i].c[0][0] <== levels[i];
    muxes[i].c[0][1] <== pathElements[i];
    muxes[i].c[1][0] <== pathElements[i];
    muxes[i].c[1][1] <== levels[i];
    muxes[i].s <== pathIndices[i];
    hashers[i] = Poseidon(2);
    hashers[i].inputs[0] <== muxes[i].out[0];
    hashers[i].inputs[1] <== muxes[i].out[1];
    levels[i + 1] <== hashers[i].out;
  }
  root <== levels[depth];
}

component main = MerkleInclusion(10);
