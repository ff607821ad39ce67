pragma circom 2.0.0;

// c = a * b with c public: the smallest Groth16 circuit (1 constraint, 1 public output).
template Multiplier() {
  signal input a;
  signal input b;
  signal output c;
  c <== a * b;
}

component main = Multiplier();
