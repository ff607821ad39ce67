#!/usr/bin/env bash
# Times `agentledger zk prove` (JVM start included) against `snarkjs groth16 prove` on the same
# zkey and witness, then checks each proof with the other verifier.
#   bench-prove.sh [N_CONSTRAINTS]   (default 32000: a 2^15 domain)
# Builds zk/target/circuits/chainN with build-circuit.sh first (slow the first time: the
# powers-of-tau ceremony of the domain size).
set -euo pipefail
n="${1:-32000}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
dir="$here/target/circuits/chain$n"
"$here/scripts/build-circuit.sh" chain "$dir" "$n"
modules="$here/npm/node_modules"
cd "$dir"
mkdir -p bench/ours bench/snarkjs
t0=$(date +%s.%N)
"$root/bin/agentledger" zk prove --zkey chain.zkey --wtns chain.wtns --out bench/ours
t1=$(date +%s.%N)
node "$modules/snarkjs/build/cli.cjs" groth16 prove chain.zkey chain.wtns bench/snarkjs/proof.json bench/snarkjs/public.json
t2=$(date +%s.%N)
echo "constraints=$n agentledger_zk_prove_s=$(echo "$t1 - $t0" | bc) snarkjs_groth16_prove_s=$(echo "$t2 - $t1" | bc)"
node "$modules/snarkjs/build/cli.cjs" groth16 verify verification_key.json bench/ours/public.json bench/ours/proof.json
"$root/bin/agentledger" zk verify --vkey verification_key.json --proof bench/snarkjs/proof.json --public bench/snarkjs/public.json
