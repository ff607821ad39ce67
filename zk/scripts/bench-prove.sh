#!/usr/bin/env bash
# Times `agentledger zk prove` (JVM start included) against `snarkjs groth16 prove` on the same
# zkey and witness, then checks each proof with the other verifier.
#   bench-prove.sh [N] [NAME]   (defaults: 32000 and chain, a 2^15 domain; NAME=poseidon_chain
#                                counts Poseidon hashes, 517 constraints each)
# The circuit is compiled by compile-circuit.sh into zk/target/circuits/NAME-N, and its proving key
# comes from `agentledger zk dev-setup` (INSECURE, toxic waste from a seed: for benchmarks only),
# since a snarkjs powers-of-tau ceremony of 2^15 and more takes hours on a small machine. The
# setup, untimed, runs under `nice -n 15`. AGENTLEDGER_BIN names another launcher (default
# bin/agentledger; e.g. a copy of an earlier build's jars).
set -euo pipefail
n="${1:-32000}"
name="${2:-chain}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
dir="$here/target/circuits/$name-$n"
agentledger="${AGENTLEDGER_BIN:-$root/bin/agentledger}"
"$here/scripts/compile-circuit.sh" "$name" "$dir" "$n"
modules="$here/npm/node_modules"
snarkjs=(node "$modules/snarkjs/build/cli.cjs")
cd "$dir"
if [ ! -f "$name.zkey" ]; then
  TIMEFORMAT="agentledger zk dev-setup (nice 15): real %R s, user %U s, sys %S s"
  time nice -n 15 "$agentledger" zk dev-setup --r1cs "$name.r1cs" --out "$name.zkey.tmp" --seed 1
  mv "$name.zkey.tmp" "$name.zkey"
  nice -n 15 "${snarkjs[@]}" zkey export verificationkey "$name.zkey" verification_key.json >/dev/null
fi
"${snarkjs[@]}" r1cs info "$name.r1cs" | sed -n 's/.*\(# of Constraints: *[0-9]*\).*/\1/p'
mkdir -p bench/ours bench/snarkjs bench/record
# The first `zk prove` after a build records the JVM's AOT cache (bin/agentledger); that run is
# not timed: the timed one starts from the cache, as every later one does (AGENTLEDGER_AOT=0: none).
source "$root/bin/lib/env.sh"
if [ "${AGENTLEDGER_AOT:-1}" != 0 ] && [ ! -s "$(agentledger_zk_aot_file)" ]; then
  AGENTLEDGER_NO_REBUILD=1 "$agentledger" zk prove --zkey "$name.zkey" --wtns "$name.wtns" --out bench/record
fi
echo "AOT cache: $([ "${AGENTLEDGER_AOT:-1}" != 0 ] && agentledger_zk_aot_file || echo off)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# the launcher's check for changed sources is not part of the prover: the jar is built by now
t0=$(date +%s.%N)
TIMEFORMAT="agentledger zk prove: real %R s, user %U s, sys %S s"
time AGENTLEDGER_NO_REBUILD=1 "$agentledger" zk prove --zkey "$name.zkey" --wtns "$name.wtns" --out bench/ours ${PROFILE:+--profile}
t1=$(date +%s.%N)
TIMEFORMAT="snarkjs groth16 prove: real %R s, user %U s, sys %S s"
time "${snarkjs[@]}" groth16 prove "$name.zkey" "$name.wtns" bench/snarkjs/proof.json bench/snarkjs/public.json
t2=$(date +%s.%N)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "circuit=$name n=$n agentledger_zk_prove_s=$(echo "$t1 - $t0" | bc) snarkjs_groth16_prove_s=$(echo "$t2 - $t1" | bc)"
"${snarkjs[@]}" groth16 verify verification_key.json bench/ours/public.json bench/ours/proof.json
"$agentledger" zk verify --vkey verification_key.json --proof bench/snarkjs/proof.json --public bench/snarkjs/public.json
