/**
 * A RocketMQ JVM that fails to start prints why on its stdout (BrokerStartup/NamesrvStartup print the
 * exception and exit), buried under logback's status chatter and a page of stack frames, while its own
 * log (logs/rocketmqlogs/) ends with the shutdown hook. The error quotes the lines that say why, so
 * "exited (code 255)" comes with "Address already in use" rather than a path to go and read.
 */
import {closeSync, openSync, readSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {RunBrokenError, toMqbenchError} from '../errors.js'

const TAIL_BYTES = 64 * 1024
// Stack frames, "... 12 more", logback's own status lines and the JVM's option warnings say nothing of the cause.
const NOISE = /^(at |\.\.\. \d+ more|\d{2}:\d{2}:\d{2},\d{3} \|-|OpenJDK .*VM warning|Java HotSpot)/

/** The last `max` lines of `file` worth quoting (no stack frames, no logback status); [] when unreadable. */
export function causeLines(file: string, max = 4): string[] {
  let text: string
  try {
    const size = statSync(file).size
    const fd = openSync(file, 'r')
    try {
      const buf = Buffer.alloc(Math.min(size, TAIL_BYTES))
      readSync(fd, buf, 0, buf.length, size - buf.length)
      text = buf.toString('utf8')
    } finally {
      closeSync(fd)
    }
  } catch {
    return []
  }
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !NOISE.test(l)).slice(-max)
}

/** The start error of node `name`, with the cause its output gives quoted on the same line. */
export function startFailure(name: string, nodeDir: string, err: unknown): RunBrokenError {
  const stdout = join(nodeDir, 'stdout.log')
  const lines = causeLines(stdout)
  const quoted = lines.length === 0 ? 'it printed nothing' : `last lines of ${stdout}: ${lines.map((l) => JSON.stringify(l)).join(' | ')}`
  return new RunBrokenError(`${toMqbenchError(err).message}; ${quoted}`, {
    cause: err, process: name, hint: `full logs: ${stdout} and ${join(nodeDir, 'logs', 'rocketmqlogs')}`,
  })
}
