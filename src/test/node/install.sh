#!/usr/bin/env bash
# Installs the Minecraft peers pinned in package.json / package-lock.json (minecraft-protocol,
# mineflayer, minecraft-server-util) into src/test/node/node_modules (no global install, no root
# needed), for the integration tests in src/test/java/dev/cubeguardian/peers.
#
# Needs Node.js 18 or later and npm, and reaches the npm registry (or the mirror npm is configured
# for). Re-running it with the pinned versions already installed changes nothing.
# minecraft-protocol and mineflayer declare "node >= 22" since their CI moved to Node 22; they
# are plain JavaScript, and the peer scripts work on Node 18.20 (Debian 12's) and 20.20, so npm's
# EBADENGINE warning is muted (--loglevel=error).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Node.js and npm are needed (Node.js 18 or later): on Debian, apt-get install nodejs npm" >&2
  exit 1
fi
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)'; then
  echo "The Minecraft test peers need Node.js 18 or later; this is $(node --version)" >&2
  exit 1
fi

locked() { node -p "require('./package.json').dependencies['$1']"; }
installed() { node -p "try { require('./node_modules/$1/package.json').version } catch (e) { '' }"; }
up_to_date=true
for package in minecraft-protocol mineflayer minecraft-server-util; do
  [ "$(installed "$package")" = "$(locked "$package")" ] || up_to_date=false
done
if $up_to_date && npm ls --all >/dev/null 2>&1; then
  echo "The Minecraft test peers are already installed in $(pwd)/node_modules"
else
  # npm ci installs exactly the locked tree (and removes a stale node_modules first).
  # No package in it has an install script, so none are run.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

# Verify: each package loads, and says which Minecraft versions it knows
node -e '
  const mc = require("minecraft-protocol")
  const versions = mc.supportedVersions
  console.log(`minecraft-protocol ${require("minecraft-protocol/package.json").version}: Minecraft ${versions[0]} to ${versions[versions.length - 1]}`)
  console.log(`mineflayer ${require("mineflayer/package.json").version}: Minecraft ${require("mineflayer").oldestSupportedVersion} to ${require("mineflayer").latestSupportedVersion}`)
  require("minecraft-server-util")
  console.log(`minecraft-server-util ${require("minecraft-server-util/package.json").version}`)
'
