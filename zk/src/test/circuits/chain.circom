pragma circom 2.0.0;

// A chain of n multiplications x[i+1] = x[i]^2 + i: n constraints, for prover benchmarks.
template Chain(n) {
  signal input x;
  signal output y;
  signal t[n + 1];
  t[0] <== x;
  for (var i = 0; i < n; i++) {
    t[i + 1] <== t[i] * t[i] + i;
  }
  y <== t[n];
}

component main = Chain(N_CONSTRAINTS);
