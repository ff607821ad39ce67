#!/usr/bin/env bash
# Compiles one test circuit with circom2 and computes its witness (no setup).
#   compile-circuit.sh NAME OUTDIR [N]
# NAME is a file zk/src/test/circuits/NAME.circom with input NAME.input.json; N replaces the
# placeholder N_CONSTRAINTS. Writes OUTDIR/NAME.r1cs and OUTDIR/NAME.wtns. Skips work when both
# exist already.
set -euo pipefail
name="$1"; n="${3:-}"
mkdir -p "$2"
out="$(cd "$2" && pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
modules="$("$here/scripts/npm-setup.sh")"
cd "$out"
if [ -f "$name.r1cs" ] && [ -f "$name.wtns" ]; then
  exit 0
fi
# circom2 runs under WASI with the working directory's parents preopened: the source and
# circomlib's circuits are copied next to the output (as build-circuit.sh does).
sed "s/N_CONSTRAINTS/${n:-0}/" "$here/src/test/circuits/$name.circom" > "$name.circom"
mkdir -p circomlib
cp -r "$modules/circomlib/circuits" circomlib/
node "$modules/circom2/cli.js" "$name.circom" --r1cs --wasm -o . >/dev/null
node "${name}_js/generate_witness.js" "${name}_js/$name.wasm" \
  "$here/src/test/circuits/$name.input.json" "$name.wtns.tmp"
mv "$name.wtns.tmp" "$name.wtns"
