/**
 * namesrv process entry: `node dist/src/broker/namesrv/main.js --port 9876`, also behind
 * `mqbench namesrv start --port N`. Prints `mqbench namesrv ready addr=127.0.0.1:<port> pid=<pid>`.
 */
import {parseArgs} from 'node:util'
import {ConfigError, type ExitCodeValue} from '../../errors.js'
import {isProcessEntry, type ProcessIO, processIO, runUntilSignal} from '../process-main.js'
import {NamesrvController} from './namesrv-controller.js'

export interface NamesrvArgs {
  port: number
  /** How long a silent broker stays in the route table (RocketMQ: 120 s). */
  brokerExpiryMs: number
}

function parseNonNegInt(flag: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value) || Number(value) > max) {
    throw new ConfigError(`namesrv: --${flag}: expected an integer 0-${max === 65535 ? '65535' : 'N'}, got ${JSON.stringify(value)}`)
  }
  return Number(value)
}

export function parseNamesrvArgs(argv: string[]): NamesrvArgs {
  let values: {port?: string; 'broker-expiry-ms'?: string}
  try {
    ;({values} = parseArgs({args: argv, options: {port: {type: 'string', short: 'p'}, 'broker-expiry-ms': {type: 'string'}}, strict: true}))
  } catch (err) {
    throw new ConfigError(`namesrv: ${(err as Error).message}`)
  }
  return {
    port: parseNonNegInt('port', values.port, 9876, 65535),
    brokerExpiryMs: parseNonNegInt('broker-expiry-ms', values['broker-expiry-ms'], 120_000),
  }
}

/** Runs a namesrv in this process until SIGTERM/SIGINT; resolves with the exit code. */
export function runNamesrv(argv: string[], io: ProcessIO = processIO): Promise<ExitCodeValue> {
  return runUntilSignal(async () => {
    const args = parseNamesrvArgs(argv)
    const ctl = new NamesrvController({listenPort: args.port, brokerExpiryMs: args.brokerExpiryMs, log: io.stderr})
    const port = await ctl.start()
    return {readyLine: `mqbench namesrv ready addr=127.0.0.1:${port} pid=${process.pid}`, stop: () => ctl.stop()}
  }, io)
}

if (isProcessEntry(import.meta.url)) {
  runNamesrv(process.argv.slice(2)).then((code) => process.exit(code))
}
