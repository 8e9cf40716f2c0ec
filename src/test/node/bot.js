'use strict'
// A real bot: mineflayer, offline mode. It logs in, waits until it has spawned, stays a while and
// quits the way a player does.
//   node bot.js --port N --version 1.20.4 --username bob [--stay-ms 5000] [--host 127.0.0.1] [--timeout-ms N]
// Prints {"event":"login"} (the server's play-state login packet), {"event":"spawn"},
// {"event":"kicked","reason":...,"logged_in":...} and {"event":"end","reason":...}. Exits 0 when
// it spawned and then ended, 1 otherwise, 2 when the time limit (--stay-ms + 20 s unless told)
// runs out.
const { run, emit, fail, integer, required, loopbackHost, timeLimit } = require('./common')

run(args => {
  const mineflayer = require('mineflayer')
  const stayMs = integer(args, 'stay-ms', 5000)
  let outcome = 'connecting'
  timeLimit(integer(args, 'timeout-ms', stayMs + 20000), () => outcome)
  const bot = mineflayer.createBot({
    host: loopbackHost(args),
    port: integer(args, 'port'),
    version: required(args, 'version'),
    username: required(args, 'username'),
    auth: 'offline',
    hideErrors: true,
    logErrors: false // errors are events below, not log text on stdout
  })

  bot.once('login', () => {
    outcome = 'spawn'
    emit({ event: 'login', username: bot.username, game_mode: bot.game.gameMode })
  })
  bot.once('spawn', () => {
    outcome = 'spawned'
    const { x, y, z } = bot.entity.position
    emit({ event: 'spawn', position: { x, y, z } })
    setTimeout(() => bot.quit(), stayMs)
  })
  bot.on('kicked', (reason, loggedIn) => emit({ event: 'kicked', reason, logged_in: loggedIn }))
  bot.on('error', fail)
  bot.on('end', reason => {
    emit({ event: 'end', reason })
    process.exit(outcome === 'spawned' ? 0 : 1)
  })
})
