pragma circom 2.0.0;

// The squaring chain of chain.circom (x -> x^2 + i) cut into blocks of 1024 constraints, one
// template instance per block size: n constraints in all. circom2 compiles this in time about
// linear in n, where one template with an n-step loop grows about n^1.7 (2^20: hours).
template Block(size) {
  signal input in;
  signal output out;
  signal t[size + 1];
  t[0] <== in;
  for (var i = 0; i < size; i++) {
    t[i + 1] <== t[i] * t[i] + i;
  }
  out <== t[size];
}

template ChainBlocks(n, size) {
  signal input x;
  signal output y;
  var full = n \ size;
  var rest = n % size;
  var blocks = rest == 0 ? full : full + 1;
  component b[blocks];
  for (var j = 0; j < blocks; j++) {
    b[j] = Block(j < full ? size : rest);
    b[j].in <== j == 0 ? x : b[j - 1].out;
  }
  y <== b[blocks - 1].out;
}

component main = ChainBlocks(N_CONSTRAINTS, 1024);
