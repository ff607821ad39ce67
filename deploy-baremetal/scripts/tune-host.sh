#!/usr/bin/env bash
# tune-host.sh: prepares a bare-metal host for an AgentLedger validator, explaining every change.
#
#   tune-host.sh [--dry-run | --apply | --revert] [options]
#
#   --dry-run        (default) print what would change and why; changes nothing
#   --apply          make the changes; the original values are saved first (once) under the state dir
#   --revert         restore every saved value, remove the files this script created, forget the state
#   --root DIR       prefix for /proc, /sys and /etc paths (tests run against a scratch tree)
#   --state-dir DIR  where originals are saved (default: ROOT/var/lib/agentledger-tune)
#   --cpus LIST      CPUs the node pins (e.g. 2-15); NIC interrupts are steered to the other CPUs
#   --nic IFACE      NIC whose queue interrupts to steer (repeatable; default: every physical NIC)
#   --hugepages N    2 MiB huge pages to reserve (default: 1024, i.e. 2 GiB)
#   --user NAME      service user for the memlock/nofile limits (default: agentledger)
#
# What it tunes (each line of output says why):
#   sysctl   socket buffer ceilings and TCP autotuning ranges, accept and device backlogs
#   vm       vm.nr_hugepages; transparent huge pages -> madvise
#   limits   memlock unlimited (io_uring rings) and nofile for the service user (limits.d)
#   cpufreq  scaling_governor -> performance on every CPU
#   irq      smp_affinity_list of the NIC queue interrupts -> CPUs outside --cpus
# Live values are written under ROOT/proc and ROOT/sys; persistent ones go to
# ROOT/etc/sysctl.d/90-agentledger.conf and ROOT/etc/security/limits.d/90-agentledger.conf.
set -euo pipefail

mode=dry-run
root=""
state_dir=""
cpus=""
nics=()
hugepages=1024
user=agentledger

die() { echo "tune-host: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) mode=dry-run ;;
    --apply) mode=apply ;;
    --revert) mode=revert ;;
    --root) root="${2:?--root needs a directory}"; shift ;;
    --state-dir) state_dir="${2:?--state-dir needs a directory}"; shift ;;
    --cpus) cpus="${2:?--cpus needs a CPU list}"; shift ;;
    --nic) nics+=("${2:?--nic needs an interface}"); shift ;;
    --hugepages) hugepages="${2:?--hugepages needs a count}"; shift ;;
    --user) user="${2:?--user needs a name}"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
  shift
done

root="${root%/}"
if [ -n "$root" ] && [ ! -d "$root" ]; then die "--root $root is not a directory"; fi
[ -n "$state_dir" ] || state_dir="$root/var/lib/agentledger-tune"
state="$state_dir/saved.tsv"
[[ "$hugepages" =~ ^[0-9]+$ ]] || die "--hugepages '$hugepages' is not a count"
[[ "$user" =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || die "--user '$user' is not a user name"
if [ "$mode" != dry-run ] && [ -z "$root" ] && [ "$(id -u)" != 0 ]; then
  die "--$mode changes the host and needs root (or --root DIR for a scratch tree)"
fi

changes=0

# ---- CPU lists -----------------------------------------------------------------------------
expand_cpus() {  # "0-3,8" -> "0 1 2 3 8"
  local list="$1" part from to out=()
  [ -n "$list" ] || { echo ""; return; }
  IFS=',' read -ra parts <<< "$list"
  for part in "${parts[@]}"; do
    part="${part// /}"
    if [[ "$part" =~ ^([0-9]+)-([0-9]+)$ ]]; then
      from=${BASH_REMATCH[1]}; to=${BASH_REMATCH[2]}
      [ "$from" -le "$to" ] || die "CPU range '$part' is descending"
      for ((c = from; c <= to; c++)); do out+=("$c"); done
    elif [[ "$part" =~ ^[0-9]+$ ]]; then
      out+=("$part")
    else
      die "'$list' is not a CPU list like 0-3,8"
    fi
  done
  echo "${out[*]}"
}

compress_cpus() {  # "0 1 2 3 8" (sorted) -> "0-3,8"
  local out="" start="" prev="" c
  for c in $1; do
    if [ -z "$start" ]; then start=$c; prev=$c; continue; fi
    if [ "$c" -eq $((prev + 1)) ]; then prev=$c; continue; fi
    out+="${out:+,}$start"; [ "$prev" != "$start" ] && out+="-$prev"
    start=$c; prev=$c
  done
  if [ -n "$start" ]; then out+="${out:+,}$start"; [ "$prev" != "$start" ] && out+="-$prev"; fi
  echo "$out"
}

# ---- state ---------------------------------------------------------------------------------
declare -A SAVED=()
if [ -f "$state" ]; then
  while IFS=$'\t' read -r _kind _path _value; do SAVED["$_path"]=1; done < "$state"
fi

save() {  # save KIND PATH VALUE: remember the original once
  local kind="$1" path="$2" value="$3"
  [ -n "${SAVED[$path]:-}" ] && return 0
  mkdir -p "$state_dir"
  printf '%s\t%s\t%s\n' "$kind" "$path" "$value" >> "$state"
  SAVED["$path"]=1
}

# ---- one live value (a /proc or /sys file) -------------------------------------------------
read_text() {  # read_text FILE: sets TEXT to the file's content without the final newline (no fork)
  TEXT=""
  IFS= read -r -d '' TEXT < "$1" || true
  TEXT="${TEXT%$'\n'}"
}

read_current() {  # read_current FILE: sets CURRENT to the active value ([selected] word, blanks squeezed)
  read_text "$1" 2>/dev/null || return 1
  local text="${TEXT//$'\t'/ }"
  text="${text//$'\n'/ }"
  while [[ "$text" == *"  "* ]]; do text="${text//  / }"; done
  if [[ "$text" =~ \[([^]]+)\] ]]; then CURRENT="${BASH_REMATCH[1]}"; else CURRENT="$text"; fi
}

tune_value() {  # tune_value PATH WANTED WHY
  local path="$1" wanted="$2" why="$3" file="$root$1" current
  if [ ! -e "$file" ]; then
    echo "SKIP    $path: not present on this host ($why)"
    return
  fi
  read_current "$file" || { echo "SKIP    $path: unreadable"; return; }
  current="$CURRENT"
  if [ "$current" = "$wanted" ]; then
    echo "OK      $path = $wanted ($why)"
    return
  fi
  changes=$((changes + 1))
  case "$mode" in
    dry-run) echo "CHANGE  $path: $current -> $wanted ($why)" ;;
    apply)
      save value "$path" "$current"
      if printf '%s\n' "$wanted" > "$file" 2>/dev/null; then
        echo "SET     $path: $current -> $wanted ($why)"
      else
        echo "FAILED  $path: could not write $wanted (kernel refused?)" >&2
      fi ;;
  esac
}

# ---- one whole file under /etc -------------------------------------------------------------
tune_file() {  # tune_file PATH CONTENT WHY
  local path="$1" content="$2" why="$3" file="$root$1"
  if [ -f "$file" ] && read_text "$file" && [ "$TEXT" = "$content" ]; then
    echo "OK      $path is in place ($why)"
    return
  fi
  changes=$((changes + 1))
  case "$mode" in
    dry-run) echo "CHANGE  $path: $([ -f "$file" ] && echo replace || echo create) ($why)" ;;
    apply)
      if [ -f "$file" ]; then
        mkdir -p "$state_dir/files"
        local backup="$state_dir/files/${path//\//_}"
        [ -n "${SAVED[$path]:-}" ] || cp -p "$file" "$backup"
        save file "$path" "$backup"
      else
        save created "$path" "-"
      fi
      mkdir -p "$(dirname "$file")"
      printf '%s\n' "$content" > "$file"
      echo "WROTE   $path ($why)" ;;
  esac
}

# ---- revert --------------------------------------------------------------------------------
if [ "$mode" = revert ]; then
  if [ ! -f "$state" ]; then
    echo "tune-host: nothing to revert (no saved state in $state_dir)"
    exit 0
  fi
  # newest first, so a value changed twice ends at its first original
  tac "$state" | while IFS=$'\t' read -r kind path value; do
    case "$kind" in
      value)
        if printf '%s\n' "$value" > "$root$path" 2>/dev/null; then echo "RESTORED $path = $value"; else echo "FAILED  $path: could not restore $value" >&2; fi ;;
      created) rm -f "$root$path"; echo "REMOVED $path" ;;
      file) cp -p "$value" "$root$path"; echo "RESTORED $path from $value" ;;
    esac
  done
  rm -rf "$state_dir"
  echo "tune-host: reverted; saved state removed"
  exit 0
fi

echo "tune-host: $mode${root:+ (root $root)}"

# ---- sysctl: sockets -----------------------------------------------------------------------
sysctl_conf=""
sysctl_tune() {  # sysctl_tune NAME VALUE WHY
  local name="$1" value="$2" why="$3"
  tune_value "/proc/sys/${name//.//}" "$value" "$why"
  sysctl_conf+="$name = $value"$'\n'
}
sysctl_tune net.core.rmem_max 134217728 "socket receive buffer ceiling 128 MiB: TCP windows can grow to fill 10-100 Gb/s links between validators"
sysctl_tune net.core.wmem_max 134217728 "socket send buffer ceiling 128 MiB: batch dissemination to every peer does not stall on a full buffer"
sysctl_tune net.ipv4.tcp_rmem "4096 1048576 134217728" "TCP receive autotuning range up to the new ceiling"
sysctl_tune net.ipv4.tcp_wmem "4096 1048576 134217728" "TCP send autotuning range up to the new ceiling"
sysctl_tune net.core.somaxconn 65535 "accept backlog: bursts of client connections are queued, not refused"
sysctl_tune net.ipv4.tcp_max_syn_backlog 65535 "SYN backlog for the same bursts"
sysctl_tune net.core.netdev_max_backlog 250000 "packets queued per CPU between the NIC and the stack at line rate"
sysctl_tune vm.nr_hugepages "$hugepages" "$hugepages x 2 MiB huge pages for the JVM (-XX:+UseLargePages): fewer TLB misses on large batches"
tune_file /etc/sysctl.d/90-agentledger.conf "# AgentLedger host tuning (tune-host.sh); removed by tune-host.sh --revert
${sysctl_conf%$'\n'}" "keeps the sysctl values above across reboots"

if [ -e "$root/proc/sys/kernel/io_uring_disabled" ]; then
  read_current "$root/proc/sys/kernel/io_uring_disabled"; v="$CURRENT"
  if [ "$v" != 0 ]; then
    echo "NOTE    /proc/sys/kernel/io_uring_disabled = $v: io_uring is restricted by policy; not changed here (the node falls back to epoll). Set it to 0 if your security policy allows."
  fi
fi

# ---- transparent huge pages ----------------------------------------------------------------
tune_value /sys/kernel/mm/transparent_hugepage/enabled madvise "THP only where asked (the JVM with -XX:+UseTransparentHugePages): no khugepaged compaction stalls in RocksDB or the mempool"
tune_value /sys/kernel/mm/transparent_hugepage/defrag madvise "synchronous defragmentation only for regions that asked for huge pages"

# ---- limits --------------------------------------------------------------------------------
tune_file /etc/security/limits.d/90-agentledger.conf "# AgentLedger service user limits (tune-host.sh); the systemd unit sets its own LimitMEMLOCK/LimitNOFILE
$user soft memlock unlimited
$user hard memlock unlimited
$user soft nofile 1048576
$user hard nofile 1048576" "memlock for io_uring rings and registered buffers, descriptors for many clients, when the node runs outside systemd"

# ---- CPU frequency governor ----------------------------------------------------------------
governors=0
for gov in "$root"/sys/devices/system/cpu/cpu[0-9]*/cpufreq/scaling_governor; do
  [ -e "$gov" ] || continue
  governors=$((governors + 1))
  tune_value "${gov#"$root"}" performance "no frequency ramp-up delay on the pinned hot stages"
done
[ "$governors" -gt 0 ] || echo "SKIP    cpufreq: no scaling_governor files (virtual machine, or frequency fixed by firmware)"

# ---- NIC interrupt affinity ----------------------------------------------------------------
if [ -z "$cpus" ]; then
  echo "SKIP    irq affinity: no --cpus given (the node is not pinned, nothing to keep interrupts away from)"
else
  pinned=$(expand_cpus "$cpus")
  online_list=""
  if read_current "$root/sys/devices/system/cpu/online"; then online_list="$CURRENT"; fi
  [ -n "$online_list" ] || die "cannot read $root/sys/devices/system/cpu/online"
  others=""
  for c in $(expand_cpus "$online_list"); do
    case " $pinned " in *" $c "*) ;; *) others+="$c " ;; esac
  done
  others=$(compress_cpus "$others")
  online_cpus=" $(expand_cpus "$online_list") "
  for c in $pinned; do
    case "$online_cpus" in *" $c "*) ;; *) die "--cpus $cpus includes CPU $c, which is not online ($online_list)" ;; esac
  done
  if [ -z "$others" ]; then
    echo "SKIP    irq affinity: --cpus $cpus covers every online CPU ($online_list); leave some for interrupts"
  else
    if [ ${#nics[@]} -eq 0 ]; then
      for dev in "$root"/sys/class/net/*; do
        [ -e "$dev/device" ] && nics+=("${dev##*/}")
      done
    fi
    [ ${#nics[@]} -gt 0 ] || echo "SKIP    irq affinity: no physical NIC found under /sys/class/net"
    for nic in "${nics[@]}"; do
      irqs_dir="$root/sys/class/net/$nic/device/msi_irqs"
      if [ ! -d "$irqs_dir" ]; then
        echo "SKIP    irq affinity of $nic: no MSI interrupts listed ($irqs_dir)"
        continue
      fi
      for irq_path in "$irqs_dir"/*; do
        irq="${irq_path##*/}"
        tune_value "/proc/irq/$irq/smp_affinity_list" "$others" "$nic queue interrupt $irq off the node's pinned CPUs $cpus"
      done
    done
    if [ -z "$root" ] && pgrep -x irqbalance >/dev/null 2>&1; then
      echo "NOTE    irqbalance is running and may move these interrupts back: set IRQBALANCE_BANNED_CPULIST=$cpus in /etc/default/irqbalance"
    fi
  fi
fi

case "$mode" in
  dry-run) echo "tune-host: $changes change(s) would be made; run with --apply to make them (--revert undoes them)" ;;
  apply) echo "tune-host: $changes change(s) made; originals saved in $state (tune-host.sh --revert restores them)" ;;
esac
