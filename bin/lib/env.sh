# Sourced by every script of this project: selects a JDK >= 25 and defines helpers.
# The machine's default java may be older (17 on Debian); nothing here relies on PATH's java.

agentledger_root() { cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd; }
AGENTLEDGER_ROOT="${AGENTLEDGER_ROOT:-$(agentledger_root)}"
AGENTLEDGER_MIN_JDK=25

# Prints the feature version (e.g. 25) of the JDK at $1, or nothing when $1 is no JDK.
_agentledger_jdk_feature() {
  local home="$1" line
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  # The 'version "..."' line: JAVA_TOOL_OPTIONS / _JAVA_OPTIONS make the JVM print a
  # 'Picked up ...' line first, so the first line is not necessarily it.
  line=$(JAVA_TOOL_OPTIONS= _JAVA_OPTIONS= "$home/bin/java" -version 2>&1 | grep -m 1 ' version "')
  # 'openjdk version "25.0.1" ...' or '"1.8.0_..."'
  line=${line#*\"}; line=${line%%\"*}
  case "$line" in
    1.*) line=${line#1.}; echo "${line%%.*}" ;;
    *) line=${line%%.*}; echo "${line%%-*}" ;;
  esac
}

agentledger_select_jdk() {
  local candidate feature
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/temurin-* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -d "$candidate" ] || continue
    feature=$(_agentledger_jdk_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge "$AGENTLEDGER_MIN_JDK" ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "agentledger: no JDK ${AGENTLEDGER_MIN_JDK} or newer found (JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm hold none); install Temurin ${AGENTLEDGER_MIN_JDK} or point JAVA_HOME at a JDK ${AGENTLEDGER_MIN_JDK}." >&2
  return 1
}

# JVM flags every AgentLedger JVM needs (keep in sync with agentledger.jvm.flags in pom.xml).
AGENTLEDGER_JVM_FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
  --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED
  --sun-misc-unsafe-memory-access=allow)

# JIT flags of AgentLedger JVMs: the Vector API kernels (multi-buffer SHA-256, the Ed25519 lane
# arithmetic) are about 400 times slower until C2 compiles them (C1 code calls the vector
# operations out of line and boxes every vector), so they go to C2 after a twentieth of the usual
# invocation counts. On the 2-core demo machine a validator otherwise still ran them as C1 code
# through the whole measured run (20 s warm-up plus 30 s load), its compiler threads competing
# with three other validators.
AGENTLEDGER_JIT_FLAGS=(-XX:CompileCommand=quiet
  "-XX:CompileCommand=CompileThresholdScaling,dev.agentledger.hash.simd.*::*,0.05"
  "-XX:CompileCommand=CompileThresholdScaling,dev.agentledger.sig.curve25519.*::*,0.05")

# JIT flags of the zk commands only (bin/agentledger adds them after the ones above): a proof is a
# short run whose CPU goes to the field, curve, MSM and NTT code, and with the AOT cache's method
# profiles the JIT otherwise also compiles the JDK's and picocli's start-up code (strings, maps,
# jar reading, class file building) with C1 and C2, ahead of or beside the prover's own methods in
# the queue of the one C2 thread on 2 cores. Twenty times the usual counts leave that code to the
# interpreter and C1. Cold `zk prove` of poseidon_chain 64 (AOT cache on, 4 runs alternated, load
# 7): user CPU 3.16 and 3.26 s without, 2.95 and 3.06 s with (C1 150-180 -> 60 ms, C2 640-740 ->
# 490-550 ms). The serial collector and no perf data file (-XX:-UsePerfData: no hsperfdata mmap,
# so `jps` does not list a zk JVM): a proof of poseidon_chain 64 runs no collection with any GC,
# and G1's start-up and its concurrent threads are CPU on 2 busy cores; cold `zk prove --profile`
# (own AOT cache each, alternated, 22:26-22:49 UTC, load 9-17): user 3.06/3.21/3.47/3.40 s
# before, 2.95/3.08/3.23/3.23 s after, wall lower in all four pairs; but six alternated pairs of
# `PROFILE=1 zk/scripts/bench-prove.sh 64 poseidon_chain` against a frozen main (23:00-23:23 UTC,
# load 7-14) were level (user 3.47/3.79/3.76/2.98/3.02/3.31 s main, 3.66/3.49/3.82/3.00/2.96/3.39
# s here): no gain resolved there. The 2^20 report in zk/README ran with these flags.
AGENTLEDGER_ZK_JIT_FLAGS=(-XX:+UseSerialGC -XX:-UsePerfData
  "-XX:CompileCommand=CompileThresholdScaling,java.*::*,20.0"
  "-XX:CompileCommand=CompileThresholdScaling,jdk.*::*,20.0"
  "-XX:CompileCommand=CompileThresholdScaling,sun.*::*,20.0"
  "-XX:CompileCommand=CompileThresholdScaling,picocli.*::*,20.0")

# A checksum of the jars now built (their names, sizes and times) and the JVM and JIT flags above:
# the key of the JDK AOT caches below, so a rebuild or other flags give a new name and the JVM never
# sees a cache for other jars. (A cache of another JDK the JVM refuses itself, and starts without.)
_agentledger_build_key() {
  local root="$AGENTLEDGER_ROOT" extra="${1:-}"
  { stat -c '%n %s %Y' "$root"/node/target/agentledger-node.jar "$root"/node/target/lib/*.jar \
      "$root"/deploy-baremetal/target/agentledger-deploy.jar "$root"/bench/target/agentledger-bench.jar \
      "$root"/bench/target/lib/*.jar 2>/dev/null
    echo "${AGENTLEDGER_JVM_FLAGS[*]}" "${AGENTLEDGER_JIT_FLAGS[*]}"
    [ -z "$extra" ] || echo "$extra"
  } | cksum | cut -d' ' -f1
}

# The JDK AOT cache (JEP 483/514/515: classes loaded and linked, method profiles) of the `zk`
# commands for the jars now built: prints its path under AGENTLEDGER_AOT_DIR (default target/aot).
agentledger_zk_aot_file() {
  echo "${AGENTLEDGER_AOT_DIR:-$AGENTLEDGER_ROOT/target/aot}/zk-$(_agentledger_build_key "${AGENTLEDGER_ZK_JIT_FLAGS[*]}").aot"
}

# The JDK AOT cache of `node run` (validator JVMs) for the jars now built, recorded by a validator
# under load at its orderly stop (the demo's validator 0 when there is none, or `node run` with
# AGENTLEDGER_AOT=record): prints its path under AGENTLEDGER_AOT_DIR (default target/aot).
# It holds loaded classes and method profiles but no AOT-linked classes: `--add-modules
# jdk.incubator.vector` puts an incubator module in the boot layer, and the JDK does not archive
# such a module graph ("archive was created without full module graph" under -Xlog:aot, where
# --add-modules java.sql, --add-exports, --add-opens and --enable-native-access keep it; JDK
# 25.0.3). The Vector API kernels need the module, so this stays until the API leaves incubation.
agentledger_node_aot_file() {
  echo "${AGENTLEDGER_AOT_DIR:-$AGENTLEDGER_ROOT/target/aot}/node-$(_agentledger_build_key).aot"
}

agentledger_mvn() { "$AGENTLEDGER_ROOT/mvnw" "$@"; }
