#!/usr/bin/env bash
# Installs the Debian packages Charter's build and tests need.
# Idempotent, non-interactive, quiet; meant to run as root in CI (no stdin).
#   bash .ci/install-deps.sh               everything the tests need
#   bash .ci/install-deps.sh code-server   only what `npm start` needs for code-server
#                                          (scripts/e2e/setup-code-server.sh runs this)
#   - chromium:           headless browser for the code-server e2e tests (Playwright)
#   - neovim, emacs-nox + elpa-eglot: the LSP configurations of docs/editor.md, tested
#   - ripgrep:            VS Code's search (copied into code-server)
#   - postgresql:         the server the SQL export tests run (a throwaway cluster per test file, no service)
#   - build deps:         native modules of code-server / VS Code (npm rebuild)
#   - git, ca-certificates, fonts (so screenshots have real glyphs)
#   - graphviz:           reads `charter graph --format dot` back in the CLI tests
set -euo pipefail

PKGS=(
  git ca-certificates
  chromium fonts-liberation fonts-dejavu-core
  neovim
  emacs-nox elpa-eglot
  ripgrep
  postgresql
  graphviz
  build-essential python3 pkg-config
  libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev
)

# What code-server needs: ripgrep (file search) and the toolchain and headers of the
# native modules it builds (spdlog, node-pty...).
CODE_SERVER_PKGS=(ripgrep build-essential python3 pkg-config libx11-dev libxkbfile-dev libsecret-1-dev)
if [ "${1:-}" = code-server ]; then PKGS=("${CODE_SERVER_PKGS[@]}"); fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "install-deps: must run as root (or with passwordless sudo)" >&2; exit 1
  fi
fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} Debian packages already installed"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)
log=$(mktemp /tmp/install-deps.XXXXXX.log)
# A heartbeat while apt works, so a long install is never silent.
( while sleep 10; do echo "install-deps:   … $(( $(date +%s) - start ))s ($(grep -c '^Unpacking' "$log" 2>/dev/null || echo 0) unpacked)"; done ) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT
# Wait (up to 10 min) for a concurrent apt/dpkg instead of failing on the lock.
APT_OPTS=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
if ! $SUDO apt-get "${APT_OPTS[@]}" update -qq >"$log" 2>&1; then
  echo "install-deps: apt-get update failed:" >&2; tail -n 30 "$log" >&2; exit 1
fi
if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      "${missing[@]}" </dev/null >>"$log" 2>&1; then
  echo "install-deps: apt-get install failed:" >&2; tail -n 40 "$log" >&2; exit 1
fi
rm -f "$log"
echo "install-deps: done in $(( $(date +%s) - start ))s"
