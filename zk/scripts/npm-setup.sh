#!/usr/bin/env bash
# Installs the pinned npm tools of the zk module (snarkjs, ffjavascript, circom2, circomlib) into
# zk/npm/node_modules from zk/npm/package-lock.json. Idempotent; prints the node_modules path.
# Exit 3 when node or npm is absent (callers skip with that message).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "zk: node/npm not found on PATH; the snarkjs/ffjavascript cross-checks need Node.js >= 18" >&2
  exit 3
fi
cd "$here/npm"
stamp=node_modules/.agentledger-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  # a lock on the directory so that parallel test JVMs do not install twice
  exec 9>"$here/npm/.install.lock"
  flock 9
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    npm ci --no-audit --no-fund --loglevel=error >&2
    touch "$stamp"
  fi
fi
echo "$here/npm/node_modules"
