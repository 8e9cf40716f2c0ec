'use strict'
// An independent RCON client: minecraft-server-util's RCON class. Connects, logs in with
// --password, runs --command and prints what came back, joined from every packet of the answer.
//   node rcon.js --port N --password P --command "list" [--host 127.0.0.1] [--timeout-ms 5000] [--settle-ms 500]
// Prints {"event":"logged_in"}, then {"event":"response","command":...,"request_id":...,"response":...,
// "fragments":[bytes of each packet's body]} and exits 0; or an error event ("Invalid RCON password", ...)
// and exits 1. Its execute() resolves at the first packet of an answer, so the packets of the
// request id are gathered here until none has come for --settle-ms.
const { run, emit, fail, integer, required, loopbackHost, timeLimit } = require('./common')

run(args => {
  const host = loopbackHost(args)
  const port = integer(args, 'port')
  const password = required(args, 'password')
  const command = required(args, 'command')
  const timeoutMs = integer(args, 'timeout-ms', 5000)
  const settleMs = integer(args, 'settle-ms', 500)
  let waitingFor = 'the connection'
  timeLimit(timeoutMs + settleMs + 2000, () => waitingFor)

  const { RCON } = require('minecraft-server-util')
  const client = new RCON()
  client.on('error', fail)
  client.connect(host, port, { timeout: timeoutMs })
    .then(() => {
      waitingFor = 'the login'
      return client.login(password, { timeout: timeoutMs })
    })
    .then(() => {
      emit({ event: 'logged_in' })
      waitingFor = 'the answer'
      const fragments = []
      let requestId
      let settle
      const early = []
      const done = () => {
        client.close()
        emit({
          event: 'response',
          command,
          request_id: requestId,
          response: fragments.join(''),
          fragments: fragments.map(text => Buffer.byteLength(text, 'utf8'))
        })
        process.exit(0)
      }
      const take = message => {
        if (message.requestID !== requestId) return
        fragments.push(message.message)
        clearTimeout(settle)
        settle = setTimeout(done, settleMs)
      }
      // a packet may come before run() has told us its request id
      client.on('message', message => requestId === undefined ? early.push(message) : take(message))
      return client.run(command).then(id => {
        requestId = id
        early.forEach(take)
      })
    })
    .catch(fail)
})
