pragma circom 2.0.0;

include "circomlib/circuits/poseidon.circom";

// out = Poseidon(a, b) (circomlib), public output, public input a.
template PoseidonHash() {
  signal input a;
  signal input b;
  signal output out;
  component h = Poseidon(2);
  h.inputs[0] <== a;
  h.inputs[1] <== b;
  out <== h.out;
}

component main {public [a]} = PoseidonHash();
