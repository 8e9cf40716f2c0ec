'use strict'
// What every peer script shares: its arguments, its output (one JSON object per stdout line, so
// the Java side can read events without guessing at log text), and a time limit, so that a peer
// never outlives a test that forgot it.

/** `--name value` pairs and bare `--flag`s (true); numbers stay strings until the script asks. */
function parseArgs (argv = process.argv.slice(2)) {
  const args = {}
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]
    if (!name.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(name)}`)
    const next = argv[i + 1]
    if (next === undefined || next.startsWith('--')) {
      args[name.slice(2)] = true
    } else {
      args[name.slice(2)] = next
      i++
    }
  }
  return args
}

function emit (event) {
  // BigInts (64-bit protocol fields) are not JSON; print them as numbers' text
  process.stdout.write(JSON.stringify(event, (key, value) => typeof value === 'bigint' ? value.toString() : value) + '\n')
}

function integer (args, name, fallback) {
  const text = args[name]
  if (text === undefined) {
    if (fallback === undefined) throw new Error(`--${name} is required`)
    return fallback
  }
  const value = Number(text)
  if (!Number.isInteger(value)) throw new Error(`--${name} must be an integer, was ${JSON.stringify(text)}`)
  return value
}

/** The --host argument (127.0.0.1 by default): these peers are for tests, which talk to loopback only. */
function loopbackHost (args) {
  const host = args.host === undefined ? '127.0.0.1' : required(args, 'host')
  if (!/^127\.\d+\.\d+\.\d+$/.test(host) && host !== '::1' && host !== 'localhost') {
    throw new Error(`--host must be a loopback address (127.0.0.0/8, ::1 or localhost), was ${JSON.stringify(host)}`)
  }
  return host
}

function required (args, name) {
  if (typeof args[name] !== 'string') throw new Error(`--${name} is required`)
  return args[name]
}

/** Prints the error as an event and exits with status 1. Stdout to a pipe is synchronous on Linux. */
function fail (error) {
  emit({ event: 'error', message: error && error.message ? error.message : String(error), code: error && error.code })
  process.exit(1)
}

/** Exits with status 2 after `ms`, saying so, whatever the script is waiting for. */
function timeLimit (ms, what) {
  const timer = setTimeout(() => {
    emit({ event: 'timeout', ms, waiting_for: what() })
    process.exit(2)
  }, ms)
  timer.unref() // a script that is done exits at once instead of waiting for the limit
  return timer
}

/** Runs a script's main function, turning a bad argument or a thrown error into an error event. */
function run (main) {
  process.on('uncaughtException', fail)
  process.on('unhandledRejection', fail)
  try {
    main(parseArgs())
  } catch (e) {
    fail(e)
  }
}

module.exports = { parseArgs, emit, integer, required, loopbackHost, fail, timeLimit, run }
