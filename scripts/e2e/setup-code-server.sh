#!/usr/bin/env bash
# Offline install of code-server (VS Code in the browser) for Charter's e2e tests.
#
# code-server's own postinstall downloads things from the internet, which is not
# reachable here, so we unpack the npm tarball and install/rebuild by hand.
# The result is cached OUTSIDE the repo and reused: if the marker file says OK,
# nothing is done. On success the LAST line printed on stdout is the absolute
# path of code-server's entry.js (progress goes to stderr), so callers can do
#   ENTRY=$(bash scripts/e2e/setup-code-server.sh | tail -n1)
#
# Env:
#   CODE_SERVER_VERSION   default 4.100.3 (VS Code 1.100.3, Node 20)
#   CHARTER_E2E_CACHE     default ${XDG_CACHE_HOME:-$HOME/.cache}/charter-e2e
#   CHARTER_E2E_FORCE=1   reinstall even if the marker says OK
#
# Needs (Debian): ripgrep libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev
# pkg-config build-essential python3 -- see .ci/install-deps.sh.
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
RECIPE=1 # bump to invalidate existing caches when this script changes meaningfully
CACHE="${CHARTER_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/charter-e2e}"
DEST="$CACHE/code-server-$VERSION"
MARKER="$DEST/.charter-setup-ok"
ENTRY="$DEST/out/node/entry.js"
WANT_MARK="code-server=$VERSION recipe=$RECIPE node=$(node -p 'process.versions.modules')"

log() { echo "[setup-code-server] $*" >&2; }
die() { echo "[setup-code-server] ERROR: $*" >&2; exit 1; }

if [ "${CHARTER_E2E_FORCE:-0}" != 1 ] && [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$WANT_MARK" ] && [ -f "$ENTRY" ]; then
  log "already installed ($WANT_MARK)"
  echo "$ENTRY"
  exit 0
fi

command -v node >/dev/null || die "node not found"
command -v npm >/dev/null || die "npm not found"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || log "WARNING: code-server $VERSION wants Node 20, this is $(node -v)"
RG=$(command -v rg || true)
[ -n "$RG" ] || die "ripgrep (rg) not found: run 'bash .ci/install-deps.sh' (apt-get install ripgrep)"
for h in krb5/krb5.h gssapi/gssapi.h X11/Xlib.h X11/extensions/XKBfile.h; do
  [ -f "/usr/include/$h" ] || die "/usr/include/$h missing: run 'bash .ci/install-deps.sh' (needs libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config)"
done
pkg-config --exists libsecret-1 2>/dev/null || die "libsecret-1 not found by pkg-config: apt-get install libsecret-1-dev pkg-config"

# Native addons must build against the local Node headers (node-gyp can't download them).
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export npm_config_loglevel=error

mkdir -p "$CACHE"
# Serialize concurrent setups (two test runs starting at once).
exec 9>"$CACHE/.setup-$VERSION.lock"
if command -v flock >/dev/null; then
  flock -w 1800 9 || die "timed out waiting for another setup-code-server to finish (lock $CACHE/.setup-$VERSION.lock)"
  if [ "${CHARTER_E2E_FORCE:-0}" != 1 ] && [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$WANT_MARK" ] && [ -f "$ENTRY" ]; then
    log "installed by a concurrent run"
    echo "$ENTRY"; exit 0
  fi
fi

start=$(date +%s)
LOG="$CACHE/setup-$VERSION.log"
: >"$LOG"
log "installing code-server $VERSION into $DEST (log: $LOG); first run takes a few minutes"

step() { # step "description" cmd...
  local desc="$1"; shift
  local t0; t0=$(date +%s)
  log "  $desc"
  echo "=== $desc: $*" >>"$LOG"
  if ! "$@" >>"$LOG" 2>&1; then
    echo "----- last lines of $LOG -----" >&2
    tail -n 40 "$LOG" >&2
    die "step failed: $desc (full log: $LOG)"
  fi
  echo "=== done in $(( $(date +%s) - t0 ))s" >>"$LOG"
}

rm -rf "$DEST" "$DEST.tmp"
TMP="$DEST.tmp"
mkdir -p "$TMP"
step "npm pack code-server@$VERSION" npm pack --silent --pack-destination "$TMP" "code-server@$VERSION"
TGZ=$(ls "$TMP"/code-server-*.tgz 2>/dev/null | head -n1)
[ -n "$TGZ" ] || die "npm pack produced no tarball (see $LOG)"
step "unpack" tar -xzf "$TGZ" -C "$TMP"
# Native modules are built in place, so move to the final path BEFORE building.
mv "$TMP/package" "$DEST"
rm -rf "$TMP"

step "npm install (package root)" bash -c "cd '$DEST' && npm install --omit=dev --ignore-scripts"
step "npm install (lib/vscode)" bash -c "cd '$DEST/lib/vscode' && npm install --omit=dev --ignore-scripts"
step "npm install (lib/vscode/extensions)" bash -c "cd '$DEST/lib/vscode/extensions' && npm install --omit=dev --ignore-scripts"
step "npm rebuild native modules (lib/vscode)" bash -c "cd '$DEST/lib/vscode' && npm rebuild @parcel/watcher @vscode/spdlog kerberos native-watchdog node-pty @vscode/deviceid"
step "npm rebuild argon2 (package root)" bash -c "cd '$DEST' && npm rebuild argon2"

mkdir -p "$DEST/lib/vscode/node_modules/@vscode/ripgrep/bin"
cp "$RG" "$DEST/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
chmod +x "$DEST/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
ln -sfn node_modules "$DEST/lib/vscode/node_modules.asar"

[ -f "$ENTRY" ] || die "$ENTRY missing after install"
# Sanity check: the CLI starts and reports its version.
step "sanity check (code-server --version)" env XDG_CONFIG_HOME="$CACHE/xdg-config" XDG_DATA_HOME="$CACHE/xdg-data" node "$ENTRY" --version
grep -q "$VERSION" "$LOG" || die "code-server --version did not print $VERSION (see $LOG)"

echo "$WANT_MARK" >"$MARKER"
log "done in $(( $(date +%s) - start ))s"
echo "$ENTRY"
