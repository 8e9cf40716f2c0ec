'use strict'
// A real Minecraft server as far as logging in goes: minecraft-protocol's createServer in offline
// mode on loopback. It answers status pings (modern and legacy) with the real number of players
// online, lets clients log in, and sends a joining player what mineflayer needs to emit "spawn"
// (the login packet, a position, and health above zero). There is no world: no chunks, no entities.
//   node server.js --port N --version 1.20.4 [--motd "Real server"] [--max-players 20]
//                  [--favicon-file icon.png] [--run-ms N] [--host 127.0.0.1]
// --port 0 takes a free port. Prints {"event":"listening","port":N}, then {"event":"login",...},
// {"event":"join",...} and {"event":"leave",...} per player. Runs until SIGTERM or SIGINT, or
// until --run-ms have passed (10 minutes unless told: a server a test forgot goes away by itself);
// then closes, prints {"event":"closed"} and exits 0.
const fs = require('fs')
const { run, emit, fail, integer, required, loopbackHost } = require('./common')

run(args => {
  const mc = require('minecraft-protocol')
  const version = required(args, 'version')
  const registry = require('minecraft-data')(version)
  if (!registry) throw new Error(`minecraft-protocol does not know version ${version}`)
  const runMs = integer(args, 'run-ms', 10 * 60 * 1000)
  const server = mc.createServer({
    host: loopbackHost(args),
    port: integer(args, 'port'),
    version,
    'online-mode': false,
    hideErrors: true, // minecraft-protocol would print parse errors on stdout; errorHandler reports them
    motd: typeof args.motd === 'string' ? args.motd : 'A Minecraft server',
    maxPlayers: integer(args, 'max-players', 20),
    favicon: args['favicon-file'] ? favicon(args['favicon-file']) : undefined,
    // a client that breaks the protocol is an event for the test to see, not a line of log text
    errorHandler: (client, error) => {
      emit({ event: 'client_error', username: client.username, message: error.message })
      client.end(error.message)
    }
  })

  server.on('listening', () => emit({ event: 'listening', port: server.socketServer.address().port, version }))
  server.on('error', fail)
  server.on('login', client => {
    emit({ event: 'login', username: client.username, uuid: client.uuid, protocol: client.protocolVersion })
    client.on('end', reason => emit({ event: 'leave', username: client.username, reason, online: server.playerCount }))
  })
  server.on('playerJoin', client => {
    joinGame(client, registry, server.maxPlayers)
    emit({ event: 'join', username: client.username, online: server.playerCount })
  })

  const stop = signal => {
    server.close() // tells each player "ServerShutdown", as a vanilla server says it is stopping
    emit({ event: 'closed', signal })
    setTimeout(() => process.exit(0), 200).unref() // time for those messages to leave
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  setTimeout(() => stop('run-ms'), runMs)
})

/** The status answer's favicon: a data URL of the PNG, as vanilla reads server-icon.png. */
function favicon (file) {
  return 'data:image/png;base64,' + fs.readFileSync(file).toString('base64')
}

/** What a vanilla server sends first in the play state, as far as mineflayer's spawn needs it. */
function joinGame (client, registry, maxPlayers) {
  if (registry.supportFeature('usesLoginPacket')) {
    // 1.16+: minecraft-data records a vanilla login packet (dimension codec and all)
    client.write('login', { ...registry.loginPacket, entityId: 1, maxPlayers, enforcesSecureChat: false })
  } else {
    client.write('login', {
      entityId: 1, gameMode: 0, dimension: 0, difficulty: 0, maxPlayers, levelType: 'default', reducedDebugInfo: false
    })
  }
  client.write('position', {
    x: 0.5,
    y: 80,
    z: 0.5,
    dx: 0,
    dy: 0,
    dz: 0,
    yaw: 0,
    pitch: 0,
    // absolute coordinates: 1.21.3+ spell the "relative" flags as named bits, earlier ones as a byte
    flags: registry.version['>=']('1.21.3') ? {} : 0,
    teleportId: 1
  })
  // mineflayer emits "spawn" on the first health above zero
  client.write('update_health', { health: 20, food: 20, foodSaturation: 5 })
}
