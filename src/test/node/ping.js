'use strict'
// A real client's status ping: minecraft-protocol's ping() (the modern Server List Ping, handshake
// with the protocol number of --version), or with --legacy one of minecraft-server-util's pre-1.7
// pings: 0xFE 0x01 as 1.4 to 1.6 clients send it (the default), or --legacy fe for the bare 0xFE
// of beta 1.8 to 1.3. (Its 1.6-style statusFE01FA is left out: it writes the MC|PingHost message
// in UTF-8 where vanilla reads UTF-16, and its port as a signed short, so it fails above 32767.)
//   node ping.js --port N --version 1.20.4 [--host 127.0.0.1] [--legacy [fe01|fe]] [--timeout-ms 10000]
// Prints {"event":"status",...} or {"event":"legacy_status",...} and exits 0, or an error event and exits 1.
const { run, emit, fail, integer, required, loopbackHost, timeLimit } = require('./common')

run(args => {
  const host = loopbackHost(args)
  const port = integer(args, 'port')
  const timeoutMs = integer(args, 'timeout-ms', 10000)
  timeLimit(timeoutMs + 1000, () => 'a status answer')
  if (args.legacy !== undefined) {
    legacy(host, port, args.legacy === true ? 'fe01' : args.legacy, timeoutMs)
  } else {
    modern(host, port, required(args, 'version'), timeoutMs)
  }
})

function modern (host, port, version, timeoutMs) {
  const mc = require('minecraft-protocol')
  const started = Date.now()
  mc.ping({ host, port, version, closeTimeout: timeoutMs }).then(response => {
    emit({
      event: 'status',
      version_asked: version,
      protocol_sent: require('minecraft-data')(version).version.version,
      response, // as the server sent it, plus minecraft-protocol's "latency" when the pong came back
      favicon_present: typeof response.favicon === 'string' && response.favicon.startsWith('data:image/png;base64,'),
      latency_ms: response.latency,
      elapsed_ms: Date.now() - started
    })
    process.exit(0)
  }, fail)
}

function legacy (host, port, kind, timeoutMs) {
  const util = require('minecraft-server-util')
  const pings = { fe01: util.statusLegacy, fe: util.statusFE }
  if (!pings[kind]) throw new Error(`--legacy must be fe01 or fe, was ${JSON.stringify(kind)}`)
  process.removeAllListeners('warning') // statusFE is deprecated in favour of statusLegacy, and says so on stderr
  // enableSRV false: no DNS look-up for _minecraft._tcp.<host>, only the connection to host:port
  pings[kind](host, port, { timeout: timeoutMs, enableSRV: false }).then(response => {
    emit({ event: 'legacy_status', kind, response })
    process.exit(0)
  }, fail)
}
