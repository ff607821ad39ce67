#!/usr/bin/env bash
# netns-cluster.sh: a multi-host AgentLedger cluster on one machine, in network namespaces.
#
#   netns-cluster.sh selftest [options]   build the network, prove it (pings, latency, a bulk TCP
#                                         transfer, cut, heal), remove it
#   netns-cluster.sh run [options]        build the network, start one validator per namespace from
#                                         'agentledger cluster init' output, submit load, check that all
#                                         commit the same sequence, cut one namespace off, heal it,
#                                         check again, remove everything
#
# Options:
#   --nodes N        validators / namespaces (default 4)
#   --subnet A.B.C   /24 used inside the namespaces (default 10.77.0; node i gets A.B.C.(i+1))
#   --latency L      how latency is added: auto (default: netem when the kernel has it, else the
#                    delay switch), netem, switch (the userspace delay switch), none
#   --delay D        one-way delay between any two nodes, e.g. 5ms (default 5ms; units us, ms, s):
#                    netem delays each node's eth0 egress by D, the delay switch delays each frame
#                    by D on its one pass through the switch; either way a round trip takes 2 x D
#   --jitter J       +- J uniform jitter on that delay (default 1ms); the delay switch never
#                    reorders the frames a node sends
#   --rate R         also cap every node's egress bandwidth with tc tbf, e.g. 1gbit (default: no
#                    cap). A cap is not latency: it delays packets only while a link is saturated.
#   --prefix P       namespace name prefix (default al<pid>, unique per run)
#   --work DIR       where run mode keeps configuration, data and logs (default: a new temp dir)
#   --load N         runs to submit in run mode, before the cut and during it (default 2000)
#   --java-opts O    JVM options of each validator (default: -Xmx512m)
#   --keep-work      keep the work dir (configuration, data, logs) instead of removing it
#   --require-netem  the same as --latency netem: exit 77 when the kernel has no tc netem
#
# Topology, all of it outside the host's own network namespace:
#   namespace P-br holds the switch; namespace P-n<i> holds eth0 (A.B.C.(i+1)/24), the peer of veth
#   vbr<i> in P-br. With netem (or no latency) the switch is the Linux bridge br0 with every vbr<i>
#   enslaved, and netem sits on each eth0. Without netem it is delay-switch.py (next to this
#   script): a learning switch in userspace, one AF_PACKET socket per vbr<i>, that forwards every
#   frame after delay +- jitter; its sockets carry the virtio-net header (PACKET_VNET_HDR), so TCP's
#   64 KiB GSO frames and offloaded checksums pass intact and no offload needs turning off.
#   Nothing is created in the root namespace, no route leaves the
#   namespaces, so cluster traffic cannot reach the host's networks. 'cut' sets vbr<i> down; 'heal'
#   sets it up. Both modes measure ping round trips between two nodes and check that they take at
#   least about 2 x delay. Everything (namespaces, veths, bridge, qdiscs, the switch process,
#   validators) is removed on exit, also on failure or interrupt (trap).
# Needs root (ip netns), iproute2 (ip, tc), ping; the delay switch needs python3 (standard library
# only); run mode also jq and curl (python3, jq and curl are installed with apt-get when missing)
# and a built appliance (bin/agentledger builds it on first use, before any namespace exists).
# The delay switch is userspace: it moves some tens of thousands of frames per second, plenty for
# consensus-latency experiments, not for bandwidth tests (use a kernel with sch_netem for those).
set -euo pipefail

mode="${1:-}"; [ $# -gt 0 ] && shift
case "$mode" in -h|--help) set -- --help ;; esac
nodes=4; subnet=10.77.0; delay=5ms; jitter=1ms; prefix="al$$"; work=""; load=2000; latency_mode=auto; latency=none
java_opts="-Xmx512m"; keep_work=no; remove_work=no; rate=""; python=python3
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes="$2"; shift ;;
    --subnet) subnet="$2"; shift ;;
    --delay) delay="$2"; shift ;;
    --jitter) jitter="$2"; shift ;;
    --latency) latency_mode="$2"; shift ;;
    --rate) rate="$2"; shift ;;
    --prefix) prefix="$2"; shift ;;
    --work) work="$2"; shift ;;
    --load) load="$2"; shift ;;
    --java-opts) java_opts="$2"; shift ;;
    --keep-work) keep_work=yes ;;
    --require-netem) latency_mode=netem ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "netns-cluster: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$mode" in selftest|run) ;; *) echo "netns-cluster: say 'selftest' or 'run' (see --help)" >&2; exit 2 ;; esac
[ "$mode" = selftest ] || [ "$nodes" -ge 4 ] 2>/dev/null || { echo "netns-cluster: run mode needs --nodes >= 4 (cutting one off must leave a quorum)" >&2; exit 2; }
[[ "$nodes" =~ ^[0-9]+$ ]] && [ "$nodes" -ge 2 ] && [ "$nodes" -le 50 ] || { echo "netns-cluster: --nodes must be 2..50" >&2; exit 2; }
[[ "$subnet" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "netns-cluster: --subnet must look like 10.77.0" >&2; exit 2; }
[[ "$prefix" =~ ^[a-z][a-z0-9]{0,7}$ ]] || { echo "netns-cluster: --prefix must be 1-8 lower-case letters/digits" >&2; exit 2; }
case "$latency_mode" in auto|netem|switch|none) ;; *) echo "netns-cluster: --latency must be auto, netem, switch or none" >&2; exit 2 ;; esac
to_us() {  # to_us 5ms -> 5000 (tc's units: us/usec, ms/msec, s/sec; a bare 0 is 0); fails on anything else
  awk -v t="$1" 'BEGIN {
    if (!match(t, /^[0-9]+(\.[0-9]+)?/)) exit 1
    v = substr(t, 1, RLENGTH); u = substr(t, RLENGTH + 1)
    if (u == "us" || u == "usec") f = 1; else if (u == "ms" || u == "msec") f = 1000
    else if (u == "s" || u == "sec" || u == "secs") f = 1000000; else if (u == "" && v + 0 == 0) f = 0; else exit 1
    printf "%d\n", v * f + 0.5 }'
}
delay_us=$(to_us "$delay") || { echo "netns-cluster: --delay '$delay' is not a time such as 5ms or 500us" >&2; exit 2; }
jitter_us=$(to_us "$jitter") || { echo "netns-cluster: --jitter '$jitter' is not a time such as 1ms or 200us" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "netns-cluster: needs root (network namespaces)" >&2; exit 77; }
for tool in ip tc ping; do command -v "$tool" >/dev/null || { echo "netns-cluster: $tool is missing (apt-get install iproute2 iputils-ping)" >&2; exit 77; }; done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
brns="$prefix-br"
ns() { echo "$prefix-n$1"; }
addr() { echo "$subnet.$(($1 + 1))"; }
log() { echo "netns-cluster: $*"; }

created=()      # namespaces, in creation order
started=()      # "namespace pid" of the validators we started (index i: validator i)
switch_pid=""   # the delay switch (in $brns), when it runs
switch_log=""   # its output: the ready line, and the counts when it stops

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  local entry pid procs=("${started[@]}")
  [ -z "$switch_pid" ] || procs+=("$brns $switch_pid")
  for entry in "${procs[@]}"; do
    pid="${entry#* }"
    kill -TERM "$pid" 2>/dev/null || true
  done
  for _ in $(seq 1 50); do  # up to 5 s for a clean stop
    local running=0
    for entry in "${procs[@]}"; do grep -qs '^State:[[:space:]]*[^Z]' "/proc/${entry#* }/status" && running=1; done
    [ "$running" = 0 ] && break
    sleep 0.1
  done
  for entry in "${procs[@]}"; do
    pid="${entry#* }"
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "/tmp/$prefix-tcp-bulk.$$"
  if [ -n "$switch_log" ]; then
    grep -s '^delay-switch: stopped' "$switch_log" | sed 's/^/netns-cluster: /' || true
    rm -f "$switch_log"
  fi
  local name
  for ((k = ${#created[@]} - 1; k >= 0; k--)); do
    name="${created[k]}"
    # any process still inside is one of ours (nothing else knows these namespaces)
    for pid in $(ip netns pids "$name" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns delete "$name" 2>/dev/null || true
  done
  local left
  left=$(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^$prefix-(br|n[0-9]+)$" || true)
  if [ -n "$left" ]; then
    echo "netns-cluster: FAILED to remove: $left" >&2
    status=1
  else
    log "removed ${#created[@]} namespaces (and with them every veth, bridge and qdisc)"
  fi
  if [ -n "$work" ] && [ "$remove_work" = yes ]; then
    if [ "$keep_work" = yes ]; then log "kept $work"; else rm -rf "$work" && log "removed $work"; fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- network -------------------------------------------------------------------------------
setup_network() {
  ip netns add "$brns"; created+=("$brns")
  ip -n "$brns" link set lo up
  choose_latency
  if [ "$latency" = switch ]; then
    # the switch's ports carry no addresses: keep the kernel in $brns from sending IPv6 (DAD, router
    # solicitations) out of them
    ip netns exec "$brns" sh -c 'echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6' 2>/dev/null || true
  else
    ip -n "$brns" link add br0 type bridge
    ip -n "$brns" link set br0 up
  fi
  for ((i = 0; i < nodes; i++)); do
    local n; n=$(ns "$i")
    ip netns add "$n"; created+=("$n")
    ip -n "$n" link set lo up
    # both ends are created inside namespaces: the root namespace never sees them
    ip -n "$brns" link add "vbr$i" type veth peer name eth0 netns "$n"
    [ "$latency" = switch ] || ip -n "$brns" link set "vbr$i" master br0
    ip -n "$brns" link set "vbr$i" up
    ip -n "$n" addr add "$(addr "$i")/24" dev eth0
    ip -n "$n" link set eth0 up
    if [ "$latency" = netem ]; then
      ip netns exec "$n" tc qdisc add dev eth0 root handle 1: netem delay "$delay" "$jitter"
      [ -z "$rate" ] || ip netns exec "$n" tc qdisc add dev eth0 parent 1: handle 2: tbf rate "$rate" burst 64kb latency 100ms
    elif [ -n "$rate" ]; then
      ip netns exec "$n" tc qdisc add dev eth0 root tbf rate "$rate" burst 64kb latency 100ms
    fi
  done
  [ "$latency" != switch ] || start_switch
  local via
  case "$latency" in
    switch) via="the delay switch (delay-switch.py, ports vbr0..vbr$((nodes - 1))) in $brns" ;;
    *) via="bridge br0 in $brns" ;;
  esac
  log "network up: $nodes namespaces $prefix-n0..$prefix-n$((nodes - 1)) on $subnet.0/24 via $via, latency: $(latency_text)$( [ -n "$rate" ] && echo ", egress capped at $rate (tbf)")"
}

latency_label() {  # netem, delay switch (userspace), none
  case "$latency" in netem) echo "netem" ;; switch) echo "delay switch (userspace)" ;; *) echo "none" ;; esac
}

latency_text() {  # what adds latency, for the log lines
  case "$latency" in
    netem) echo "netem (kernel) $delay ±$jitter on each node's eth0 egress, one-way $delay between two nodes" ;;
    switch) echo "delay switch (userspace) $delay ±$jitter per hop, one-way $delay between two nodes" ;;
    *) echo "NO added latency" ;;
  esac
}

# Sets latency to netem, switch or none from --latency (auto: netem when usable, else the switch).
choose_latency() {
  local have_netem=no
  if [ "$latency_mode" = auto ] || [ "$latency_mode" = netem ]; then probe_netem && have_netem=yes; fi
  case "$latency_mode" in
    none) latency=none; return 0 ;;
    netem)
      [ "$have_netem" = yes ] || { echo "netns-cluster: tc netem is unavailable in this kernel $(uname -r) (sch_netem not built or not loadable) and --latency netem (or --require-netem) was given" >&2; exit 77; }
      latency=netem; return 0 ;;
    auto) if [ "$have_netem" = yes ]; then latency=netem; return 0; fi ;;
  esac
  # the delay switch
  if ! bash "$here/ensure-tool.sh" "$python" python3; then
    [ "$latency_mode" = switch ] && { echo "netns-cluster: the delay switch needs python3" >&2; exit 77; }
    log "WARNING: no tc netem in this kernel $(uname -r) and no python3 for the delay switch: the links get NO added latency"
    latency=none; return 0
  fi
  [ "$latency_mode" = switch ] || log "tc netem is unavailable in this kernel $(uname -r) (no sch_netem): the userspace delay switch adds the latency instead"
  latency=switch
}

# Is tc netem usable? Tried on the bridge namespace's loopback, so the host is never touched.
probe_netem() {
  if ip netns exec "$brns" tc qdisc add dev lo root netem delay 1ms 2>/dev/null; then
    ip netns exec "$brns" tc qdisc del dev lo root 2>/dev/null || true
    return 0
  fi
  return 1
}

# Starts delay-switch.py in $brns between vbr0..vbr(N-1) and waits for its ready line.
start_switch() {
  local ports=() t
  for ((i = 0; i < nodes; i++)); do ports+=("vbr$i"); done
  switch_log=$(mktemp /tmp/netns-cluster-switch.XXXXXX)
  ip netns exec "$brns" "$python" "$here/delay-switch.py" --name "$prefix" --delay "$delay" --jitter "$jitter" "${ports[@]}" > "$switch_log" 2>&1 &
  switch_pid=$!
  for ((t = 0; t < 300; t++)); do  # up to 30 s: a loaded machine starts python slowly
    grep -q '^delay-switch: ready' "$switch_log" && break
    switch_alive || { echo "netns-cluster: the delay switch did not start: $(cat "$switch_log")" >&2; exit 1; }
    sleep 0.1
  done
  grep -q '^delay-switch: ready' "$switch_log" || { echo "netns-cluster: the delay switch was not ready after 30 s" >&2; exit 1; }
  log "$(grep -m 1 '^delay-switch: ready' "$switch_log")"
}

switch_alive() { [ -n "$switch_pid" ] && grep -qs '^State:[[:space:]]*[^Z]' "/proc/$switch_pid/status"; }

can_ping() {  # can_ping FROM TO
  ip netns exec "$(ns "$1")" ping -c 1 -W 1 -q "$(addr "$2")" >/dev/null 2>&1
}

rtt_ms() {  # round-trip time FROM TO, as ping reports it
  ip netns exec "$(ns "$1")" ping -c 1 -W 2 "$(addr "$2")" 2>/dev/null | sed -nE 's/.*time=([0-9.]+) ms.*/\1/p'
}

check_full_mesh() {
  local failures=0
  for ((i = 0; i < nodes; i++)); do
    for ((j = 0; j < nodes; j++)); do
      [ "$i" = "$j" ] && continue
      can_ping "$i" "$j" || { echo "netns-cluster: $(ns "$i") cannot reach $(addr "$j")" >&2; failures=$((failures + 1)); }
    done
  done
  [ "$failures" = 0 ]
}

check_latency_setup() {  # the qdiscs / the switch process are in place
  if [ -n "$rate" ]; then
    for ((i = 0; i < nodes; i++)); do
      ip netns exec "$(ns "$i")" tc qdisc show dev eth0 | grep -q "tbf.*rate" \
        || { echo "netns-cluster: no tbf qdisc on $(ns "$i") eth0" >&2; return 1; }
    done
  fi
  if [ "$latency" = switch ]; then
    switch_alive || { echo "netns-cluster: the delay switch is not running: $(cat "$switch_log")" >&2; return 1; }
  fi
  [ "$latency" = netem ] || return 0
  for ((i = 0; i < nodes; i++)); do
    ip netns exec "$(ns "$i")" tc qdisc show dev eth0 | grep -q "netem.*delay" \
      || { echo "netns-cluster: no netem qdisc on $(ns "$i") eth0" >&2; return 1; }
  done
}

# Ping round trips $(ns 0) -> $(ns 1) must take about 2 x delay: each crosses the added delay once
# each way. Over 10 pings the uniform jitter averages out (average >= 2 x delay - jitter); no single
# one can be shorter than 2 x (delay - jitter).
check_latency() {
  local out min avg max count=10 want_avg want_min
  if [ "$latency" = none ]; then
    log "latency: none added; rtt $(ns 0) -> $(ns 1): $(rtt_ms 0 1) ms"
    return 0
  fi
  out=$(ip netns exec "$(ns 0)" ping -c "$count" -i 0.05 -W 2 -q "$(addr 1)" 2>&1) \
    || { echo "netns-cluster: ping $(ns 0) -> $(addr 1) failed: $out" >&2; return 1; }
  read -r min avg max <<< "$(sed -nE 's|^rtt .* = ([0-9.]+)/([0-9.]+)/([0-9.]+)/.*|\1 \2 \3|p' <<< "$out")"
  [ -n "$max" ] || { echo "netns-cluster: no round-trip times in: $out" >&2; return 1; }
  want_avg=$(awk -v d="$delay_us" -v j="$jitter_us" 'BEGIN { v = 2 * d - j; printf "%.1f", (v < 0 ? 0 : v) / 1000 }')
  want_min=$(awk -v d="$delay_us" -v j="$jitter_us" 'BEGIN { v = 2 * (d - j); printf "%.1f", (v < 0 ? 0 : v) / 1000 }')
  awk -v a="$avg" -v m="$min" -v wa="$want_avg" -v wm="$want_min" 'BEGIN { exit !(a >= wa && m >= wm) }' \
    || { echo "netns-cluster: latency too low: rtt $(ns 0) -> $(ns 1) avg $avg ms, min $min ms over $count pings; $(latency_label) $delay ±$jitter one-way should give avg >= $want_avg ms, min >= $want_min ms" >&2; return 1; }
  read -r min avg max <<< "$(awk -v a="$avg" -v m="$min" -v x="$max" 'BEGIN { printf "%.1f %.1f %.1f", m, a, x }')"
  log "latency verified: $(ns 0) -> $(ns 1) rtt $avg ms (average of $count pings, min $min, max $max; >= $want_avg expected) with $(latency_label), $delay ±$jitter one-way"
}

# A bulk TCP transfer $(ns 0) -> $(ns 1), compared byte for byte: TCP sends segments far larger
# than the MTU (GSO) and leaves checksums to offload, which the delay switch must carry across.
tcp_server='import hashlib, socket, sys
s = socket.create_server((sys.argv[1], 5001)); s.settimeout(60)
c, _ = s.accept(); c.settimeout(60); h = hashlib.sha256(); n = 0
while True:
    b = c.recv(1 << 16)
    if not b: break
    h.update(b); n += len(b)
c.close(); print(n, h.hexdigest())'
tcp_client='import hashlib, os, socket, sys, time
data = os.urandom(int(sys.argv[2]) << 20)
for _ in range(100):
    try: s = socket.create_connection((sys.argv[1], 5001), timeout=60); break
    except ConnectionRefusedError: time.sleep(0.1)
t = time.monotonic(); s.sendall(data); s.shutdown(socket.SHUT_WR)
while s.recv(1 << 16): pass
print(len(data), hashlib.sha256(data).hexdigest(), round(time.monotonic() - t, 3))'
check_tcp_bulk() {
  local mib=8 server sent received n digest seconds
  if ! command -v "$python" > /dev/null; then log "tcp bulk: skipped (no $python)"; return 0; fi
  ip netns exec "$(ns 1)" "$python" -c "$tcp_server" "$(addr 1)" > "/tmp/$prefix-tcp-bulk.$$" 2>&1 &
  server=$!
  sent=$(ip netns exec "$(ns 0)" timeout 90 "$python" -c "$tcp_client" "$(addr 1)" "$mib" 2>&1) \
    || { kill "$server" 2>/dev/null; echo "netns-cluster: tcp bulk $(ns 0) -> $(ns 1) failed: $sent" >&2; return 1; }
  wait "$server" || true
  received=$(cat "/tmp/$prefix-tcp-bulk.$$"); rm -f "/tmp/$prefix-tcp-bulk.$$"
  read -r n digest seconds <<< "$sent"
  [ "$received" = "$n $digest" ] || { echo "netns-cluster: tcp bulk: sent $n bytes ${digest:0:16}..., received: $received" >&2; return 1; }
  log "tcp bulk verified: $mib MiB $(ns 0) -> $(ns 1) arrived intact (sha-256 ${digest:0:16}...) in $seconds s ($(awk -v b="$n" -v s="$seconds" 'BEGIN { printf "%.0f", b * 8 / s / 1e6 }') Mbit/s)"
}

check_isolated_from_host() {
  # the host namespace has no address in the subnet and no route into it
  if ip -4 addr show | grep -q " $subnet\."; then echo "netns-cluster: the host has an address in $subnet.0/24" >&2; return 1; fi
  if ip netns exec "$(ns 0)" ip route | grep -q default; then echo "netns-cluster: $(ns 0) has a default route" >&2; return 1; fi
  if ping -c 1 -W 1 -q "$(addr 0)" >/dev/null 2>&1; then echo "netns-cluster: the host reaches $(addr 0)" >&2; return 1; fi
}

cut_link() { ip -n "$brns" link set "vbr$1" down; log "cut $(ns "$1") off (vbr$1 down)"; }
heal_link() { ip -n "$brns" link set "vbr$1" up; log "healed $(ns "$1") (vbr$1 up)"; }

check_cut() {  # check_cut I: I reaches nobody, the others still reach each other
  local victim="$1"
  for ((j = 0; j < nodes; j++)); do
    [ "$j" = "$victim" ] && continue
    if can_ping "$victim" "$j" || can_ping "$j" "$victim"; then echo "netns-cluster: $(ns "$victim") still talks to $(ns "$j") after the cut" >&2; return 1; fi
  done
  for ((i = 0; i < nodes; i++)); do
    for ((j = 0; j < nodes; j++)); do
      [ "$i" = "$j" ] || [ "$i" = "$victim" ] || [ "$j" = "$victim" ] && continue
      can_ping "$i" "$j" || { echo "netns-cluster: the cut also separated $(ns "$i") from $(ns "$j")" >&2; return 1; }
    done
  done
}

wait_mesh() {  # the bridge may need a moment (STP off: forwarding at once, but ARP must settle)
  for _ in $(seq 1 20); do check_full_mesh 2>/dev/null && return 0; sleep 0.25; done
  check_full_mesh
}

# ---- selftest ------------------------------------------------------------------------------
if [ "$mode" = selftest ]; then
  setup_network
  check_latency_setup
  wait_mesh
  log "full mesh: all $((nodes * (nodes - 1))) directed pairs reach each other; rtt $(ns 0) -> $(addr 1): $(rtt_ms 0 1) ms$( [ "$latency" = none ] || echo " ($(latency_label) adds $delay each way)")"
  check_latency
  check_tcp_bulk
  check_isolated_from_host
  log "isolated: the host has no address or route into $subnet.0/24 and cannot reach it"
  victim=$((nodes - 1))
  cut_link "$victim"
  check_cut "$victim"
  log "cut verified: $(ns "$victim") reaches nobody, the other $((nodes - 1)) still form a mesh"
  heal_link "$victim"
  wait_mesh
  log "heal verified: full mesh again"
  log "SELFTEST PASS"
  exit 0
fi

# ---- run: a real cluster -------------------------------------------------------------------
# The node's own word is used throughout: every validator runs 'node run --status-interval-s 1',
# which prints its status JSON once a second, including "consensus":{"committedIndex":K,
# "commitChain":{"k":"hex",...}} (the last 32 commits). The commit chain value at index k is
# SHA-256(chain at k-1 || commit record k), so two validators with the same value at k committed
# the same sequence 0..k. Gathered from every status line, the logs give each validator's chain
# values for every index it reported; the check is that no index has two different values and
# that the validators share a recent index. When the node also serves HTTP on query_listen
# (GET /status, GET /v1/commits), the script compares the full commit lists there as well.
agentledger="$repo/bin/agentledger"
# build (if sources changed) here, before any namespace exists: nothing inside has a network
"$agentledger" version > /dev/null || { echo "netns-cluster: cannot build/run $agentledger" >&2; exit 1; }
export AGENTLEDGER_NO_REBUILD=1
for tool in jq curl; do
  bash "$here/ensure-tool.sh" "$tool" "$tool" || { echo "netns-cluster: $tool is needed for run mode" >&2; exit 77; }
done
if [ -z "$work" ]; then work=$(mktemp -d /tmp/netns-cluster.XXXXXX); remove_work=yes; else mkdir -p "$work"; fi
setup_network
check_latency_setup
wait_mesh
check_isolated_from_host
log "isolated: the host has no address or route into $subnet.0/24 and cannot reach it"
check_latency

{
  echo "defaults: {data_dir: $work/data}"
  echo "hosts:"
  for ((i = 0; i < nodes; i++)); do echo "  - {address: $(addr "$i"), name: $(ns "$i")}"; done
} > "$work/hosts.yaml"
"$agentledger" cluster init --hosts "$work/hosts.yaml" --out "$work/cluster" --no-systemd > "$work/cluster-init.txt"
cfg() { echo "$work/cluster/v$1/node.yaml"; }
client_port=$(sed -nE 's/^client_listen: .*:([0-9]+)$/\1/p' "$(cfg 0)")
query_port=$(sed -nE 's/^query_listen: .*:([0-9]+)$/\1/p' "$(cfg 0)")
log "cluster init --hosts: $(head -1 "$work/cluster-init.txt"); client port $client_port, query port $query_port"
for ((i = 0; i < nodes; i++)); do
  ip netns exec "$(ns "$i")" env AGENTLEDGER_JAVA_OPTS="$java_opts" \
    "$agentledger" node run --config "$(cfg "$i")" --status-interval-s 1 > "$work/v$i.log" 2>&1 &
  started+=("$(ns "$i") $!")
done
log "started $nodes validators (one 'node run' per namespace); work dir $work"

last_status() {  # last_status I: the newest status line v_i printed
  grep -E '^\{' "$work/v$1.log" 2>/dev/null | tail -1
}
committed_index() {  # committed_index I: v_i's last committed consensus index (-1 before any)
  local line; line=$(last_status "$1")
  [ -n "$line" ] && jq -r '.consensus.committedIndex // -1' <<< "$line" 2>/dev/null || echo -1
}
chain_of() {  # chain_of I: "index hex" for every commit-chain value v_i reported, sorted by index
  grep -E '^\{' "$work/v$1.log" | jq -r '.consensus.commitChain | to_entries[] | "\(.key) \(.value)"' 2>/dev/null | sort -u -n -k1,1 -k2,2
}
alive() {  # alive I: v_i's process still runs (not exited, not a zombie)
  grep -qs '^State:[[:space:]]*[^Z]' "/proc/${started[$1]#* }/status"
}
fail() {
  echo "netns-cluster: FAIL: $*" >&2
  for ((i = 0; i < nodes; i++)); do echo "--- v$i.log (last 5 lines)" >&2; tail -5 "$work/v$i.log" >&2 || true; done
  exit 1
}
wait_until() {  # wait_until SECONDS WHAT COMMAND...: poll once a second
  local seconds="$1" what="$2" t i; shift 2
  for ((t = 0; t < seconds; t++)); do
    "$@" && return 0
    for ((i = 0; i < nodes; i++)); do alive "$i" || fail "v$i exited (see its log)"; done
    [ "$latency" != switch ] || switch_alive || fail "the delay switch exited: $(tail -3 "$switch_log")"
    sleep 1
  done
  fail "timed out after ${seconds}s waiting for $what"
}
all_at_least() {  # all_at_least K NODE...: each named node has committed index >= K
  local k="$1" i; shift
  for i in "$@"; do [ "$(committed_index "$i")" -ge "$k" ] || return 1; done
}
# agree NODE...: no commit index with two different chain values among the named nodes, and a
# recent index that all of them reported (set in agreed_index)
agree() {
  local i common=""
  for i in "$@"; do chain_of "$i" > "$work/chain-v$i.txt"; done
  local conflicts
  conflicts=$(for i in "$@"; do sed "s/\$/ v$i/" "$work/chain-v$i.txt"; done | sort -n -k1,1 \
    | awk '{ if ($1 in seen && seen[$1] != $2) print "index " $1 ": " by[$1] " has " seen[$1] ", " $3 " has " $2; else { seen[$1] = $2; by[$1] = $3 } }')
  [ -z "$conflicts" ] || fail "validators committed different sequences: $(head -3 <<< "$conflicts")"
  common=$(for i in "$@"; do awk '{print $1}' "$work/chain-v$i.txt"; done | sort -n | uniq -c | awk -v n="$#" '$1 == n {print $2}' | tail -1)
  [ -n "$common" ] || return 1
  agreed_index=$common
}
agree_soon() {  # agree_soon WHAT NODE...: retry agree for up to 30 s (the windows are the last 32 commits)
  local what="$1"; shift
  local t k
  for ((t = 0; t < 30; t++)); do
    if agree "$@"; then
      k=$agreed_index
      log "$what: v$(echo "$@" | sed 's/ /, v/g') hold the same commit chain value at index $k: $(awk -v k="$k" '$1 == k {print substr($2, 1, 16)}' "$work/chain-v$1.txt")... (so the same $((k + 1)) commits), no index with two values"
      return 0
    fi
    sleep 1
  done
  fail "$what: v$* share no commit index in their status reports"
}
http_ok=no
http_status() {  # http_status I: GET /status on v_i's query port, from inside its namespace
  ip netns exec "$(ns "$1")" curl -fsS --max-time 3 "http://$(addr "$1"):$query_port/status" 2>/dev/null
}
http_commits() {  # http_commits I: "sequence hash" of every commit v_i lists (GET /v1/commits)
  local from=1 page
  while :; do
    page=$(ip netns exec "$(ns "$1")" curl -fsS --max-time 10 "http://$(addr "$1"):$query_port/v1/commits?from=$from&limit=1000" 2>/dev/null) || return 1
    jq -r '.commits[] | "\(.sequence) \(.hash) \(.certified)"' <<< "$page"
    local n; n=$(jq '.commits | length' <<< "$page")
    [ "$n" -ge 1000 ] || return 0
    from=$((from + n))
  done
}
# http_agree WHAT MIN NODE...: each node lists commits 1..L without a gap, L >= MIN, and the lists
# agree on the hash of every sequence they share
http_agree() {
  local what="$1" min="$2"; shift 2
  [ "$http_ok" = yes ] || return 0
  local i count last
  for i in "$@"; do
    http_commits "$i" > "$work/http-commits-v$i.txt" || fail "$what: GET /v1/commits on v$i failed"
    count=$(wc -l < "$work/http-commits-v$i.txt"); last=$(tail -1 "$work/http-commits-v$i.txt" | awk '{print $1}')
    [ "$count" -ge "$min" ] && [ "${last:-0}" = "$count" ] && [ "$(head -1 "$work/http-commits-v$i.txt" | awk '{print $1}')" = 1 ] \
      || fail "$what: v$i lists $count commits ending at sequence ${last:-none}; expected 1..L with L >= $min"
  done
  local conflicts shortest
  conflicts=$(for i in "$@"; do sed "s/\$/ v$i/" "$work/http-commits-v$i.txt"; done | sort -n -k1,1 \
    | awk '{ if ($1 in seen && seen[$1] != $2) print "sequence " $1 ": " by[$1] " has " seen[$1] ", " $4 " has " $2; else { seen[$1] = $2; by[$1] = $4 } }')
  [ -z "$conflicts" ] || fail "$what: GET /v1/commits differ: $(head -3 <<< "$conflicts")"
  shortest=$(for i in "$@"; do wc -l < "$work/http-commits-v$i.txt"; done | sort -n | head -1)
  local certified; certified=$(for i in "$@"; do printf 'v%s=%s ' "$i" "$(grep -c ' true$' "$work/http-commits-v$i.txt")"; done)
  log "$what: GET /v1/commits on v$(echo "$@" | sed 's/ /, v/g'): the same hash for every sequence 1..$shortest they all list (certified: $certified)"
}
submit() {  # submit N NODE...: sign and submit N runs to the named validators, wait for their commit
  local n="$1"; shift
  local configs=() i out
  for i in "$@"; do configs+=(--config "$(cfg "$i")"); done
  out=$(ip netns exec "$(ns "$1")" "$agentledger" submit "${configs[@]}" --generate "$n" --wait-committed --timeout-s 180 2>&1) \
    || fail "submit of $n runs to v$* failed: $(tail -3 <<< "$out")"
  log "submit $n runs to v$(echo "$@" | sed 's/ /, v/g'): $(tr '\n' ' ' <<< "$out" | sed 's/  */ /g' | cut -c1-300)"
}

all=(); for ((i = 0; i < nodes; i++)); do all+=("$i"); done
victim=$((nodes - 1))
rest=("${all[@]:0:victim}")

# 1. all validators up and committing
wait_until 120 "every validator to commit" all_at_least 0 "${all[@]}"
if http_status 0 > /dev/null; then http_ok=yes; log "HTTP query API answers on port $query_port (GET /status, /v1/commits)"; else log "no HTTP query API on port $query_port in this build: checks use the status lines (client-port status JSON)"; fi
log "all $nodes validators commit: committed_index $(for i in "${all[@]}"; do printf 'v%s=%s ' "$i" "$(committed_index "$i")"; done)"

# 2. load, then the same sequence everywhere
submit "$load" "${all[@]}"
agree_soon "after load" "${all[@]}"
http_agree "after load" $((agreed_index + 1)) "${all[@]}"

# 3. cut one validator off: the other nodes-1 (a quorum when nodes >= 4) keep committing
cut_link "$victim"
sleep 2
victim_at_cut=$(committed_index "$victim")
rest_at_cut=$(committed_index 0)
submit "$load" "${rest[@]}"
wait_until 60 "the connected validators to commit past the cut" all_at_least $((rest_at_cut + 5)) "${rest[@]}"
victim_now=$(committed_index "$victim")
[ "$victim_now" -le $((victim_at_cut + 2)) ] || fail "v$victim kept committing while cut off ($victim_at_cut -> $victim_now)"
agree_soon "while v$victim is cut off" "${rest[@]}"
http_agree "while v$victim is cut off" $((agreed_index + 1)) "${rest[@]}"
log "cut: v$victim stayed at committed_index $victim_now while the other $((nodes - 1)) went from $rest_at_cut to $(committed_index 0)"

# 4. heal: it catches up and agrees
heal_link "$victim"
wait_mesh
target=$(committed_index 0)
wait_until 180 "v$victim to catch up to index $target" all_at_least "$target" "$victim"
if [ "$http_ok" = yes ]; then
  caught() { http_status "$victim" | jq -e '.caughtUp == true' > /dev/null 2>&1; }
  wait_until 120 "v$victim to report caughtUp on GET /status" caught
  log "v$victim reports caughtUp: $(http_status "$victim" | jq -c '{executedSequence, highestPeerSequence, caughtUp}')"
fi
log "heal: v$victim caught up from committed_index $victim_now to $(committed_index "$victim") (the others were at $target when it healed)"
agree_soon "after the heal" "${all[@]}"
[ "$agreed_index" -ge "$target" ] || { sleep 3; agree_soon "after the heal" "${all[@]}"; }
http_agree "after the heal" $((target + 1)) "${all[@]}"
committed_txs() { local line; line=$(last_status "$1"); jq -r '.consensus.committedTxs // -1' <<< "$line" 2>/dev/null || echo -1; }
all_txs() { local i; for i in "${all[@]}"; do [ "$(committed_txs "$i")" = $((2 * load)) ] || return 1; done; }
wait_until 30 "every validator to report committed_txs $((2 * load))" all_txs
log "every validator reports committed_txs $((2 * load)): each submitted run committed once, on all $nodes"
if [ "$http_ok" = yes ]; then
  for i in "${all[@]}"; do
    st=$(http_status "$i") || fail "GET /status on v$i failed"
    jq -e '.execution.divergentSignatures == 0 and .execution.failed == null' <<< "$st" > /dev/null \
      || fail "v$i: $(jq -c '.execution' <<< "$st")"
  done
  log "GET /status: no validator saw a divergent commit signature, execution ran everywhere: $(for i in "${all[@]}"; do printf 'v%s executed %s certified %s; ' "$i" "$(http_status "$i" | jq -r .executedSequence)" "$(http_status "$i" | jq -r .certifiedSequence)"; done)"
fi
final=$(ip netns exec "$(ns 0)" "$agentledger" node status --config "$(cfg "$victim")" 2>/dev/null) || fail "node status on v$victim failed"
log "node status v$victim (client port): $(jq -c '{committedIndex: .consensus.committedIndex, committedTxs: .consensus.committedTxs}' <<< "$final")"
log "RUN PASS"
