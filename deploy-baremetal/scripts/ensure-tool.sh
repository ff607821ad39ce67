#!/usr/bin/env bash
# ensure-tool.sh PROGRAM DEBIAN_PACKAGE...
# Exit 0 when PROGRAM is on PATH, installing the Debian packages first if it is missing and we are
# root with apt-get. Exit 1 with one line on stderr saying why the program is still unavailable.
# Used by the tests (systemd-analyze, ansible-playbook) so that a bare Debian host can run them.
set -uo pipefail
program="${1:?usage: ensure-tool.sh PROGRAM PACKAGE...}"; shift
command -v "$program" >/dev/null 2>&1 && exit 0
if [ "$#" -eq 0 ]; then
  echo "ensure-tool: $program is not installed and no package was named" >&2; exit 1
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-tool: $program is not installed; as root: apt-get install $*" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! timeout 600 apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; then
  timeout 300 apt-get update -qq >/dev/null 2>&1 || true
  if ! timeout 600 apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; then
    echo "ensure-tool: apt-get install $* failed (no network or no such package?)" >&2; exit 1
  fi
fi
command -v "$program" >/dev/null 2>&1 || { echo "ensure-tool: installed $* but $program is still missing" >&2; exit 1; }
