#!/usr/bin/env bash
# One command for a machine with an accelerator: probe, kernel conformance, kernel sweeps, a short
# demo on the device, one summary table. Usage:
#   bench/gpu-check.sh [--backend cuda|opencl] [--quick] [--out DIR] [--base-port N]
# --quick (automatic when the device is PoCL, a CPU) uses small sweep sizes so that it finishes in
# minutes on a CPU; on a GPU the sweeps go 2^10..2^22 for ed25519, sha256 and merkle.
# Needs only the project's own build (bin/agentledger builds it when sources changed; set
# AGENTLEDGER_NO_REBUILD=1 to use jars that came with the checkout). CUDA kernels travel in the jar
# as a fatbin: no nvcc here. Conformance vectors: shared/conformance/vectors in or beside the
# project root, or $AGENTLEDGER_VECTORS. --base-port: the demo's first port (default: the demo's).
# Exit 0 when every step passed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
backend=cuda
quick=auto
out=""
base_port=()
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend="${2:-}"; shift 2 ;;
    --backend=*) backend="${1#--backend=}"; shift ;;
    --quick) quick=yes; shift ;;
    --out) out="${2:-}"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    --base-port) base_port=(--base-port "${2:-}"); shift 2 ;;
    --base-port=*) base_port=(--base-port "${1#--base-port=}"); shift ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gpu-check: unknown argument '$1' (use --backend cuda|opencl, --quick, --out DIR, --base-port N)" >&2; exit 2 ;;
  esac
done
case "$backend" in cuda|opencl) ;; *) echo "gpu-check: --backend must be cuda or opencl, not '$backend'" >&2; exit 2 ;; esac
out="${out:-$root/target/gpu-check/$backend-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
al="$root/bin/agentledger"
start=$(date +%s)
declare -a rows=()
failed=0

row() { # step, result, seconds, detail
  rows+=("$(printf '%-22s %-6s %6ss  %s' "$1" "$2" "$3" "$4")")
  [ "$2" = ok ] || failed=1
}

json_field() { # file, python-free extraction of "key": value (first match)
  grep -o "\"$2\" *: *[^,}]*" "$1" 2>/dev/null | head -1 | sed 's/^[^:]*: *//; s/"//g'
}

# 0. build once (later calls reuse it)
t=$(date +%s)
if ! "$al" version > "$out/build.txt" 2>&1; then
  row build FAIL $(( $(date +%s) - t )) "see $out/build.txt"
  printf '%s\n' "${rows[@]}"; exit 1
fi
export AGENTLEDGER_NO_REBUILD=1

# 1. probe
t=$(date +%s)
"$al" kernels probe --json > "$out/probe.json" 2> "$out/probe.err"
# this backend's part of the JSON: from its "backend" member to the next backend's
probe_line=$(tr -d '\n' < "$out/probe.json" | sed "s/.*\"backend\" *: *\"$backend\"//; s/\"backend\" *:.*//")
device=$(echo "$probe_line" | grep -o '"name" *: *"[^"]*"' | head -1 | sed 's/.*: *"//; s/"$//')
if echo "$probe_line" | grep -q '"available" *: *true'; then
  row probe ok $(( $(date +%s) - t )) "$backend: ${device:-?}"
else
  reason=$(echo "$probe_line" | grep -o '"reason" *: *"[^"]*"' | sed 's/.*: *"//; s/"$//')
  row probe FAIL $(( $(date +%s) - t )) "$backend unavailable: ${reason:-see $out/probe.json}"
  printf '%-22s %-6s %7s  %s\n' step result time detail; printf '%s\n' "${rows[@]}"; exit 1
fi
if [ "$quick" = auto ]; then
  if echo "$probe_line" | grep -qi 'pocl\|Portable Computing Language\|"type" *: *"CPU"'; then quick=yes; else quick=no; fi
fi
if [ "$quick" = yes ]; then
  # a CPU device shares the cores with four validators: give them longer to come up
  ed_sizes="2^6..2^9"; hash_sizes="2^10..2^14"; demo_rate=100; demo_duration=15; ready=300
else
  ed_sizes="2^10..2^22"; hash_sizes="2^10..2^22"; demo_rate=200; demo_duration=20; ready=120
fi

# 2. conformance: every vector of the shared conformance folder through the backend's kernels
t=$(date +%s)
if "$al" kernels conformance --backend "$backend" > "$out/conformance.txt" 2>&1; then
  row conformance ok $(( $(date +%s) - t )) "$(grep -c ' ok$' "$out/conformance.txt") files agree with the CPU and the published values"
else
  row conformance FAIL $(( $(date +%s) - t )) "$(grep -m1 -E 'FAIL|unavailable|no conformance' "$out/conformance.txt")"
fi

# 3. kernel sweeps (JSON); the host column is measured in the same run
for kernel in ed25519 sha256 merkle; do
  sizes=$hash_sizes; extra=()
  if [ "$kernel" = ed25519 ]; then sizes=$ed_sizes; [ "$quick" = yes ] || extra=(--repeat 1); fi
  t=$(date +%s)
  if "$al" kernels bench --backend "$backend" --kernel "$kernel" --sizes "$sizes" --json "${extra[@]}" \
      > "$out/bench-$kernel.json" 2> "$out/bench-$kernel.err"; then
    cross=$(json_field "$out/bench-$kernel.json" crossoverBatch)
    rate_key=kernelGBps; [ "$kernel" = ed25519 ] && rate_key=kernelOpsPerSecond
    best=$(grep -o "\"$rate_key\" *: *[0-9.eE+]*" "$out/bench-$kernel.json" | sed 's/.*: *//' | sort -g | tail -1)
    row "bench $kernel" ok $(( $(date +%s) - t )) "sizes $sizes; best kernel ${rate_key#kernel} $best; crossover vs host ${cross:-?}"
  else
    row "bench $kernel" FAIL $(( $(date +%s) - t )) "$(tail -1 "$out/bench-$kernel.err")"
  fi
done

# 4. a short demo with the validators verifying on the device
t=$(date +%s)
"$al" demo --backend "$backend" --rate "$demo_rate" --duration "$demo_duration" --warmup-seconds 5 \
  --ready-timeout "$ready" --data-dir "$out/demo" "${base_port[@]}" > "$out/demo.txt" 2>&1
demo_rc=$?
lost=$(grep -o 'LOST [0-9,]*' "$out/demo.txt" | tail -1)
proofs=$(grep -m1 '^proofs:' "$out/demo.txt")
sig=$(grep -m1 '^sigverify backend:' "$out/demo.txt")
if [ $demo_rc -eq 0 ] && echo "$sig" | grep -q "^sigverify backend: $backend "; then
  row demo ok $(( $(date +%s) - t )) "${lost:-lost ?}; ${proofs:-proofs ?}; ${sig#sigverify backend: }"
else
  row demo FAIL $(( $(date +%s) - t )) "exit $demo_rc; ${lost:-}; ${proofs:-}; ${sig:-no sigverify line}; see $out/demo.txt"
fi

echo
echo "gpu-check --backend $backend on ${device:-?} ($( [ "$quick" = yes ] && echo quick sizes || echo full sizes )), $(( $(date +%s) - start )) s, outputs in $out"
printf '%-22s %-6s %7s  %s\n' step result time detail
printf '%s\n' "${rows[@]}"
if [ $failed -eq 0 ]; then echo "gpu-check: passed"; else echo "gpu-check: FAILED"; fi
exit $failed
