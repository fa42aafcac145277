#!/usr/bin/env bash
# Offline install of code-server (VS Code in the browser) for `npm start` and
# Charter's e2e tests.
#
# code-server's own postinstall downloads things from the internet, which is not
# reachable here, so we unpack the npm tarball and install/rebuild by hand.
# The result is cached OUTSIDE the repo and reused: if the marker file says OK,
# nothing is done. On success the LAST line printed on stdout is the absolute
# path of code-server's entry.js (progress goes to stderr), so callers can do
#   ENTRY=$(bash scripts/e2e/setup-code-server.sh | tail -n1)
#
# What it needs from Debian (ripgrep for VS Code's file search; a C++ compiler,
# python3, pkg-config and a few headers for the native modules) it installs with
# apt-get when it may (root, or passwordless sudo): `.ci/install-deps.sh
# code-server`. When it may not, it goes on without: no ripgrep means Quick
# Open and Search find no files; no compiler means no integrated terminal and
# no VS Code log files. Either way it says so, and how to fix it.
#
# Env:
#   CODE_SERVER_VERSION   default 4.100.3 (VS Code 1.100.3, Node 20)
#   CHARTER_E2E_CACHE     default ${XDG_CACHE_HOME:-$HOME/.cache}/charter-e2e
#   CHARTER_E2E_FORCE=1   reinstall even if the marker says OK
#   CHARTER_NO_APT=1      never install Debian packages (only say what is missing)
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
RECIPE=2 # bump to invalidate existing caches when this script changes meaningfully
CACHE="${CHARTER_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/charter-e2e}"
# One folder per recipe: checkouts of other versions of this script keep their own.
DEST="$CACHE/code-server-$VERSION-r$RECIPE"
MARKER="$DEST/.charter-setup-ok"
ENTRY="$DEST/out/node/entry.js"
WANT_MARK="code-server=$VERSION recipe=$RECIPE node=$(node -p 'process.versions.modules')"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

log() { echo "[setup-code-server] $*" >&2; }
die() { echo "[setup-code-server] ERROR: $*" >&2; exit 1; }

have_compiler() {
  command -v g++ >/dev/null && command -v make >/dev/null && command -v python3 >/dev/null && command -v pkg-config >/dev/null &&
    [ -f /usr/include/X11/Xlib.h ] && [ -f /usr/include/X11/extensions/XKBfile.h ] && pkg-config --exists libsecret-1 2>/dev/null
}
# The marker: the recipe, then what the install lacks ("rg=0", "native=0"). An install that
# lacks something is reused while that is still missing, and redone once it is there.
installed() {
  [ -f "$MARKER" ] && [ -f "$ENTRY" ] && [ "$(head -n1 "$MARKER")" = "$WANT_MARK" ] || return 1
  local lacks; lacks=$(sed -n 2p "$MARKER")
  case " $lacks " in *" rg=0 "*) ! command -v rg >/dev/null || return 1 ;; esac
  case " $lacks " in *" native=0 "*) ! have_compiler || return 1 ;; esac
  return 0
}
if [ "${CHARTER_E2E_FORCE:-0}" != 1 ] && installed; then
  log "already installed ($WANT_MARK)"
  echo "$ENTRY"
  exit 0
fi

command -v node >/dev/null || die "node not found"
command -v npm >/dev/null || die "npm not found"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || log "WARNING: code-server $VERSION wants Node 20, this is $(node -v)"

start=$(date +%s)

# ---- Debian packages -----------------------------------------------------------------------
if ! command -v rg >/dev/null || ! have_compiler; then
  if [ "${CHARTER_NO_APT:-0}" != 1 ] && command -v apt-get >/dev/null && { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; }; then
    log "[1/6] Debian packages for code-server (ripgrep, compiler, headers)"
    bash "$ROOT/.ci/install-deps.sh" code-server >&2 || log "WARNING: installing Debian packages failed; going on without them"
  else
    log "[1/6] Debian packages: some are missing and this user cannot install them (not root, no passwordless sudo)"
  fi
else
  log "[1/6] Debian packages: all there"
fi
RG=$(command -v rg || true)
[ -n "$RG" ] || log "WARNING: ripgrep (rg) not found: Quick Open and Search will not find files. Fix: sudo apt-get install ripgrep"
COMPILE=1
if ! have_compiler; then
  COMPILE=0
  log "WARNING: no C++ toolchain/headers: the native modules are not built (no integrated terminal, no VS Code log files)."
  log "         Fix: sudo bash .ci/install-deps.sh code-server   (then CHARTER_E2E_FORCE=1 npm start)"
fi

# Native addons must build against the local Node headers (node-gyp can't download them).
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
[ -n "${npm_config_nodedir:-}" ] || [ -f /usr/include/node/node.h ] || { [ "$COMPILE" = 1 ] && log "WARNING: no Node headers (/usr/include/node): native modules may not build (apt-get install libnode-dev)"; }
export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export npm_config_loglevel=error
export JOBS=max # node-gyp: compile on every core

mkdir -p "$CACHE"
# Serialize concurrent setups (two test runs starting at once).
exec 9>"$CACHE/.setup-$VERSION-r$RECIPE.lock"
if command -v flock >/dev/null; then
  flock -w 1800 9 || die "timed out waiting for another setup-code-server to finish (lock $CACHE/.setup-$VERSION-r$RECIPE.lock)"
  if [ "${CHARTER_E2E_FORCE:-0}" != 1 ] && installed; then
    log "installed by a concurrent run"
    echo "$ENTRY"; exit 0
  fi
fi

LOG="$CACHE/setup-$VERSION-r$RECIPE.log"
: >"$LOG"
log "installing code-server $VERSION into $DEST (log: $LOG); the first time takes a few minutes"

# Runs a step with a heartbeat on stderr every 10 s, so a long step is never silent.
step() { # step "[n/6] description" cmd...
  local desc="$1"; shift
  local t0; t0=$(date +%s)
  log "$desc"
  echo "=== $desc: $*" >>"$LOG"
  "$@" >>"$LOG" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do sleep 1; kill -0 "$pid" 2>/dev/null || break; done
    kill -0 "$pid" 2>/dev/null && log "      … $(( $(date +%s) - t0 ))s"
  done
  if ! wait "$pid"; then
    echo "----- last lines of $LOG -----" >&2
    tail -n 40 "$LOG" >&2
    die "step failed: $desc (full log: $LOG)"
  fi
  echo "=== done in $(( $(date +%s) - t0 ))s" >>"$LOG"
  log "      done in $(( $(date +%s) - t0 ))s"
}

rm -rf "$DEST" "$DEST.tmp"
TMP="$DEST.tmp"
mkdir -p "$TMP"
step "[2/6] download code-server@$VERSION (npm pack)" npm pack --silent --pack-destination "$TMP" "code-server@$VERSION"
TGZ=$(ls "$TMP"/code-server-*.tgz 2>/dev/null | head -n1)
[ -n "$TGZ" ] || die "npm pack produced no tarball (see $LOG)"
step "[3/6] unpack" tar -xzf "$TGZ" -C "$TMP"
# Native modules are built in place, so move to the final path BEFORE building.
mv "$TMP/package" "$DEST"
rm -rf "$TMP"

# The three dependency trees are independent: install them at once.
step "[4/6] npm install (code-server, VS Code, built-in extensions)" bash -c "
  (cd '$DEST' && npm install --omit=dev --ignore-scripts) & a=\$!
  (cd '$DEST/lib/vscode' && npm install --omit=dev --ignore-scripts) & b=\$!
  (cd '$DEST/lib/vscode/extensions' && npm install --omit=dev --ignore-scripts) & c=\$!
  wait \$a && wait \$b && wait \$c"

# code-server hashes passwords with argon2 (a native module); Charter always runs it
# with --auth none on 127.0.0.1, so a stub that refuses to hash saves building it.
cat >"$DEST/node_modules/argon2/argon2.js" <<'EOF'
"use strict";
// Charter's offline install (scripts/e2e/setup-code-server.sh): argon2 is not built.
// code-server only uses it for password authentication; Charter runs it with --auth none.
const unavailable = () => Promise.reject(new Error("argon2 is not built in this install: use --auth none"));
module.exports = { hash: unavailable, verify: unavailable, needsRehash: () => false, argon2d: 0, argon2i: 1, argon2id: 2 };
EOF

# The native modules VS Code's server uses here: spdlog (log files, output channels),
# node-pty (terminal), native-watchdog (extension host), deviceid. Not kerberos (proxy
# authentication only). @parcel/watcher ships prebuilt binaries.
if [ "$COMPILE" = 1 ]; then
  step "[5/6] build native modules (spdlog is the long one)" bash -c "cd '$DEST/lib/vscode' && npm rebuild @vscode/spdlog node-pty native-watchdog @vscode/deviceid"
else
  log "[5/6] build native modules: skipped (no compiler)"
fi

mkdir -p "$DEST/lib/vscode/node_modules/@vscode/ripgrep/bin"
if [ -n "$RG" ]; then
  cp "$RG" "$DEST/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
  chmod +x "$DEST/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
fi
ln -sfn node_modules "$DEST/lib/vscode/node_modules.asar"

[ -f "$ENTRY" ] || die "$ENTRY missing after install"
# Sanity check: the CLI starts and reports its version.
step "[6/6] check (code-server --version)" env XDG_CONFIG_HOME="$CACHE/xdg-config" XDG_DATA_HOME="$CACHE/xdg-data" node "$ENTRY" --version
grep -q "$VERSION" "$LOG" || die "code-server --version did not print $VERSION (see $LOG)"

lacks=""
[ -n "$RG" ] || lacks="rg=0"
[ "$COMPILE" = 1 ] || lacks="${lacks:+$lacks }native=0"
printf '%s\n%s\n' "$WANT_MARK" "$lacks" >"$MARKER"
log "code-server ready in $(( $(date +%s) - start ))s"
echo "$ENTRY"
