#!/usr/bin/env bash
# The README's "Develop: two commands" on a fresh clone, in a clean HOME (so
# npm's cache, code-server's cache and the editor state are all empty), as a
# new contributor runs them; prints how long each took.
#
#   bash scripts/fresh-clone-check.sh [REPO] [-- SUITES]
#
# REPO defaults to this checkout (its committed HEAD is cloned). SUITES are
# given to `npm test --` (default: unit cli; "all" runs every suite).
# `npm start` runs twice (first start: installs code-server; second: reuses
# it) with CHARTER_START_EXIT_WHEN_READY=1, so each ends once the editor is
# served. Debian packages are what this machine has: on a machine without
# them, the first start installs them (as root) or says what to install.
set -euo pipefail

SRC=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
SUITES=(unit cli)
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; SUITES=("$@"); break ;;
    *) SRC="$1"; shift ;;
  esac
done
[ "${SUITES[*]}" = all ] && SUITES=()

WORK=$(mktemp -d /tmp/charter-fresh.XXXXXX)
REPORT="$WORK/times.txt"
export HOME="$WORK/home"
mkdir -p "$HOME"
unset XDG_CACHE_HOME XDG_CONFIG_HOME XDG_DATA_HOME CHARTER_E2E_CACHE CHARTER_START_DIR CODE_SERVER_ENTRY npm_config_cache || true
export npm_config_update_notifier=false CHARTER_START_WEB=1 CHARTER_START_NO_BROWSER=1 CHARTER_START_EXIT_WHEN_READY=1

timed() { # timed "label" cmd...
  local label="$1"; shift
  local t0; t0=$(date +%s.%N)
  echo "### $label: $*"
  local rc=0
  "$@" || rc=$?
  local s; s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  printf '%-28s %7s s   (exit %s)\n' "$label" "$s" "$rc" | tee -a "$REPORT"
  return 0
}

echo "fresh clone of $SRC in $WORK (HOME=$HOME)"
git clone -q "$SRC" "$WORK/charter"
cd "$WORK/charter"
echo "commit $(git rev-parse --short HEAD); node $(node -v); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$REPORT"

timed "npm ci" npm ci --no-audit --no-fund
timed "npm start (first)" npm start
timed "npm start (second)" npm start
timed "npm test -- ${SUITES[*]:-(all)}" npm test -- "${SUITES[@]}"

echo
echo "== times (also in $REPORT)"
cat "$REPORT"
echo "(remove $WORK when done)"
