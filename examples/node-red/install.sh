#!/usr/bin/env bash
# Installs the Node-RED version pinned in package.json / package-lock.json into
# examples/node-red/node_modules (no global install, no root needed), for running the example
# flows locally (`npm start`) and for the integration test NodeRedIT.
#
# Needs Node.js 18.5 or later and npm, and reaches the npm registry (or the mirror npm is
# configured for). Re-running it with the pinned version already installed changes nothing.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Node.js and npm are needed (Node.js 18.5 or later): on Debian, apt-get install nodejs npm" >&2
  exit 1
fi
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 18 || (a === 18 && b >= 5) ? 0 : 1)'; then
  echo "Node-RED 4 needs Node.js 18.5 or later; this is $(node --version)" >&2
  exit 1
fi

pinned=$(node -p 'require("./package.json").dependencies["node-red"]')
installed=$(node -p 'try { require("./node_modules/node-red/package.json").version } catch (e) { "" }')
if [ "$installed" = "$pinned" ] && npm ls --all >/dev/null 2>&1; then
  echo "Node-RED $pinned is already installed in $(pwd)/node_modules"
else
  # npm ci installs exactly the locked tree (and removes a stale node_modules first).
  # No package in it needs an install script, so none are run.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=warn
fi

node node_modules/node-red/red.js --version | head -n 2
