#!/usr/bin/env bash
# Builds a snarkjs powers-of-tau file ready for a Groth16 setup (phase 2 prepared): a new ceremony
# of 2^POWER, one contribution from a fixed entropy string (a benchmark ceremony, not a secure one),
# then `powersoftau prepare phase2`. Each step's wall time goes to stderr.
#   ptau.sh POWER OUT.ptau
# Skips the steps whose output exists (OUT.ptau.0, OUT.ptau.1, OUT.ptau). For 2^20 the prepare
# step takes hours on a small machine: run it under `nice` in the background.
set -euo pipefail
power="$1"; out="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
modules="$("$here/scripts/npm-setup.sh")"
snarkjs=(node "$modules/snarkjs/build/cli.cjs")
[ -s "$out" ] && exit 0
step() {
  local name="$1" target="$2"; shift 2
  [ -s "$target" ] && return 0
  local t0=$SECONDS
  "$@" > /dev/null
  echo "ptau.sh $power: $name $((SECONDS - t0)) s" >&2
}
step new "$out.0" "${snarkjs[@]}" powersoftau new bn128 "$power" "$out.0.tmp"
[ -s "$out.0" ] || mv "$out.0.tmp" "$out.0"
step contribute "$out.1" "${snarkjs[@]}" powersoftau contribute "$out.0" "$out.1.tmp" \
  --name=bench -e="agentledger benchmark ceremony $power"
[ -s "$out.1" ] || mv "$out.1.tmp" "$out.1"
step "prepare phase2" "$out" "${snarkjs[@]}" powersoftau prepare phase2 "$out.1" "$out.tmp"
[ -s "$out" ] || mv "$out.tmp" "$out"
rm -f "$out.0"
