#!/usr/bin/env bash
# Compiles one test circuit with circom2 and runs the snarkjs Groth16 setup and a snarkjs proof.
#   build-circuit.sh NAME OUTDIR [N_CONSTRAINTS]
# NAME is a file zk/src/test/circuits/NAME.circom with input NAME.input.json. N_CONSTRAINTS, for
# chain.circom, replaces the placeholder N_CONSTRAINTS. Writes into OUTDIR: NAME.r1cs, NAME.wtns,
# NAME.zkey, verification_key.json, snarkjs/proof.json and snarkjs/public.json. Skips work when
# OUTDIR/NAME.zkey exists already.
set -euo pipefail
name="$1"; n="${3:-}"
mkdir -p "$2"
out="$(cd "$2" && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
modules="$("$here/scripts/npm-setup.sh")"
snarkjs=(node "$modules/snarkjs/build/cli.cjs")
circom=(node "$modules/circom2/cli.js")

cd "$out"
if [ -f "$name.zkey" ] && [ -f snarkjs/proof.json ]; then
  exit 0
fi
# circom2 runs under WASI with the working directory's parents preopened; its -l option did not
# resolve absolute paths, so the source and circomlib's circuits are copied next to the output.
sed "s/N_CONSTRAINTS/${n:-0}/" "$here/src/test/circuits/$name.circom" > "$name.circom"
mkdir -p circomlib
cp -r "$modules/circomlib/circuits" circomlib/
"${circom[@]}" "$name.circom" --r1cs --wasm -o . >/dev/null
constraints=$("${snarkjs[@]}" r1cs info "$name.r1cs" | sed -n 's/.*# of Constraints: *\([0-9]*\).*/\1/p')
power=8
while [ $((1 << power)) -lt $((constraints + 64)) ]; do power=$((power + 1)); done
ptau="$out/../pot$power.ptau"
if [ ! -f "$ptau" ]; then
  "${snarkjs[@]}" powersoftau new bn128 "$power" "$ptau.0" >/dev/null
  "${snarkjs[@]}" powersoftau contribute "$ptau.0" "$ptau.1" --name=test -e="agentledger test $power" >/dev/null
  "${snarkjs[@]}" powersoftau prepare phase2 "$ptau.1" "$ptau.tmp" >/dev/null
  mv "$ptau.tmp" "$ptau"
  rm -f "$ptau.0" "$ptau.1"
fi
"${snarkjs[@]}" groth16 setup "$name.r1cs" "$ptau" "$name.0.zkey" >/dev/null
"${snarkjs[@]}" zkey contribute "$name.0.zkey" "$name.zkey.tmp" --name=test -e="agentledger $name" >/dev/null
rm -f "$name.0.zkey"
"${snarkjs[@]}" zkey export verificationkey "$name.zkey.tmp" verification_key.json >/dev/null
node "${name}_js/generate_witness.js" "${name}_js/$name.wasm" "$here/src/test/circuits/$name.input.json" "$name.wtns"
mkdir -p snarkjs
"${snarkjs[@]}" groth16 prove "$name.zkey.tmp" "$name.wtns" snarkjs/proof.json snarkjs/public.json
mv "$name.zkey.tmp" "$name.zkey"
