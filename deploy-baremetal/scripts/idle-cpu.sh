#!/usr/bin/env bash
# idle-cpu.sh: what an idle cluster costs. Writes a fresh 'agentledger cluster init' cluster, starts
# one 'agentledger node run' per validator on loopback, waits until every query port answers and a
# warm-up has passed, then samples each validator's utime + stime from /proc/<pid>/stat over the
# measuring window and prints the share of one core each used, plus the busiest threads of each
# (/proc/<pid>/task/*/stat, by thread name). Stops every process it started, also on failure or
# interrupt. Reading /proc per process makes the number independent of other load on the machine.
#
#   idle-cpu.sh [--validators N] [--base-port P] [--warmup-s S] [--seconds S] [--threads K]
#               [--work DIR] [--node-arg ARG]...
#
# Options:
#   --validators N   validators (default 4)
#   --base-port P    cluster init --base-port (default 26100; uses P..P+N-1, +100, +200, +300)
#   --warmup-s S     seconds after every query port answers before measuring (default 30)
#   --seconds S      measuring window (default 60)
#   --threads K      busiest threads listed per validator (default 6; 0: none)
#   --work DIR       where configuration, data and logs go (default: a new temp dir, removed after)
#   --node-arg ARG   extra argument for every 'node run' (repeatable)
#
# Output: one line per validator 'validator I pid P cpu X.XX% of a core', then 'max X.XX% mean X.XX%'.
# Exit 0 after a measurement, 1 when the cluster did not come up, 2 for bad options.
set -euo pipefail

validators=4; base_port=26100; warmup_s=30; seconds=60; threads=6; work=""; node_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --validators) validators="$2"; shift ;;
    --base-port) base_port="$2"; shift ;;
    --warmup-s) warmup_s="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --work) work="$2"; shift ;;
    --node-arg) node_args+=("$2"); shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "idle-cpu: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for v in "$validators" "$base_port" "$warmup_s" "$seconds" "$threads"; do
  [[ "$v" =~ ^[0-9]+$ ]] || { echo "idle-cpu: numeric options must be whole numbers, got '$v'" >&2; exit 2; }
done
[ "$validators" -ge 1 ] && [ "$seconds" -ge 1 ] || { echo "idle-cpu: --validators and --seconds must be at least 1" >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cli="$root/bin/agentledger"
remove_work=no
if [ -z "$work" ]; then work="$(mktemp -d /tmp/agentledger-idle.XXXXXX)"; remove_work=yes; fi
mkdir -p "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  [ "$remove_work" = yes ] && rm -rf "$work"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Measure what is built: no rebuild because a source changed (a missing build is still made).
export AGENTLEDGER_NO_REBUILD=1
"$cli" cluster init --out "$work/cluster" --validators "$validators" --base-port "$base_port" > "$work/init.log"

for ((i = 0; i < validators; i++)); do
  # bin/agentledger execs java, so $! is the validator JVM itself.
  "$cli" node run --config "$work/cluster/v$i/node.yaml" "${node_args[@]}" > "$work/v$i.log" 2>&1 &
  pids+=("$!")
done

query_port() { sed -n 's/^query_listen: *"\{0,1\}[^:]*:\([0-9]*\).*/\1/p' "$work/cluster/v$1/node.yaml"; }
deadline=$((SECONDS + 300))
for ((i = 0; i < validators; i++)); do
  port="$(query_port "$i")"
  until curl -sf "http://127.0.0.1:$port/status" > /dev/null 2>&1; do
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "idle-cpu: validator $i exited; log:" >&2; tail -20 "$work/v$i.log" >&2; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "idle-cpu: validator $i did not answer on port $port in 300 s" >&2; exit 1; }
    sleep 1
  done
done
echo "idle-cpu: $validators validators up; warm-up $warmup_s s, then $seconds s measured"
sleep "$warmup_s"

hz="$(getconf CLK_TCK)"
# snapshot PID: one line per file, "FILE TICKS NAME": the process (/proc/PID/stat) and each of its
# threads (/proc/PID/task/TID/stat); TICKS = utime + stime (fields 14 and 15), NAME the comm with
# digits folded to N. One awk per validator, so a snapshot takes milliseconds.
snapshot() {
  awk '{ rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " ");
         name = $0; sub(/^[^(]*\(/, "", name); sub(/\)[^)]*$/, "", name); gsub(/[0-9]+/, "N", name); gsub(/ /, "_", name);
         print FILENAME, f[12] + f[13], name }' "/proc/$1/stat" /proc/"$1"/task/*/stat 2>/dev/null
}
for ((i = 0; i < validators; i++)); do snapshot "${pids[$i]}" > "$work/before.$i"; done
start_ns="$(date +%s%N)"
sleep "$seconds"
for ((i = 0; i < validators; i++)); do
  kill -0 "${pids[$i]}" 2>/dev/null || { echo "idle-cpu: validator $i exited during the measurement" >&2; exit 1; }
  snapshot "${pids[$i]}" > "$work/after.$i"
done
elapsed_ns=$(($(date +%s%N) - start_ns))

for ((i = 0; i < validators; i++)); do
  p="${pids[$i]}"
  # Threads that ended during the window are not in the after snapshot; threads that started count from 0.
  awk -v hz="$hz" -v ns="$elapsed_ns" -v v="$i" -v pid="$p" -v top="$threads" '
    FNR == NR { before[$1] = $2; next }
    { d = $2 - before[$1]; if ($1 == "/proc/" pid "/stat") total = d; else by[$3] += d }
    END {
      printf "validator %d pid %d cpu %.2f%% of a core\n", v, pid, 100 * total / hz / (ns / 1e9)
      n = 0; for (k in by) if (by[k] > 0) { names[++n] = k }
      for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) if (by[names[b]] > by[names[a]]) { t = names[a]; names[a] = names[b]; names[b] = t }
      for (a = 1; a <= n && a <= top; a++) printf "    %6.2f%%  %s\n", 100 * by[names[a]] / hz / (ns / 1e9), names[a]
    }' "$work/before.$i" "$work/after.$i"
done | tee "$work/result.txt"
awk '/^validator/ { x = $6 + 0; s += x; n++; if (x > m) m = x }
     END { printf "max %.2f%% mean %.2f%% of a core per validator (%d validators)\n", m, s / n, n }' "$work/result.txt"
