'use strict'
// Which Minecraft versions the installed peers know, so that a test can follow the packages
// instead of a list of its own: node versions.js
// Prints one {"event":"versions",...} line: minecraft-protocol's supported versions (oldest
// first) with the protocol number of each, its newest, mineflayer's tested versions, and each
// package's own version.
const { run, emit } = require('./common')

run(() => {
  const mc = require('minecraft-protocol')
  const mineflayer = require('mineflayer')
  const data = require('minecraft-data')
  const registry = data(mc.supportedVersions[mc.supportedVersions.length - 1])
  emit({
    event: 'versions',
    node: process.version,
    minecraft_protocol: mc.supportedVersions,
    protocols: Object.fromEntries(mc.supportedVersions.map(version => [version, data(version).version.version])),
    newest: registry.version.minecraftVersion,
    newest_protocol: registry.version.version,
    mineflayer_tested: mineflayer.testedVersions,
    packages: Object.fromEntries(['minecraft-protocol', 'mineflayer', 'minecraft-server-util', 'minecraft-data']
      .map(name => [name, require(`${name}/package.json`).version]))
  })
})
