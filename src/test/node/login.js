'use strict'
// A real client logging in: minecraft-protocol's createClient, offline mode (no Mojang account,
// no encryption unless the server asks for it).
//   node login.js --port N --version 1.20.4 --username alice [--host 127.0.0.1] [--stay-ms 0] [--timeout-ms 15000]
// Prints {"event":"login",...} when the server accepts the login, {"event":"joined"} when the
// client is in the play state, {"event":"disconnected","state":...,"reason":...} when the server
// sends a disconnect (reason exactly as received: a JSON string, or an NBT object on 1.20.3+ in
// play), and {"event":"end","reason":...} when the connection closes. After joining it stays
// --stay-ms, then leaves. Exits 0 after it joined or was told why not, 1 otherwise, 2 on timeout.
const { run, emit, fail, integer, required, loopbackHost, timeLimit } = require('./common')

run(args => {
  const mc = require('minecraft-protocol')
  const stayMs = integer(args, 'stay-ms', 0)
  let outcome = 'connecting'
  timeLimit(integer(args, 'timeout-ms', stayMs + 15000), () => outcome)
  const client = mc.createClient({
    host: loopbackHost(args),
    port: integer(args, 'port'),
    version: required(args, 'version'),
    username: required(args, 'username'),
    auth: 'offline',
    hideErrors: true
  })

  client.on('connect', () => { outcome = 'login' })
  // before minecraft-protocol's own listener, which moves pre-1.20.2 clients straight to the play state
  client.prependListener('success', packet => emit({ event: 'login', username: packet.username, uuid: packet.uuid }))
  client.on('playerJoin', () => {
    outcome = 'joined'
    emit({ event: 'joined', state: client.state })
    setTimeout(() => client.end('leaving'), stayMs)
  })
  const disconnected = packet => {
    outcome = 'disconnected'
    emit({ event: 'disconnected', state: client.state, reason: packet.reason })
  }
  client.on('disconnect', disconnected) // login and configuration state
  client.on('kick_disconnect', disconnected) // play state
  client.on('error', fail)
  client.on('end', reason => {
    emit({ event: 'end', reason })
    process.exit(outcome === 'joined' || outcome === 'disconnected' ? 0 : 1)
  })
})
