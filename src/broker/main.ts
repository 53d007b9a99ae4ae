/**
 * Broker process entry: `node dist/src/broker/main.js -c broker.conf`, also behind
 * `mqbench broker start -c broker.conf`. Prints
 * `mqbench broker ready name=<brokerName> id=<id> addr=127.0.0.1:<port> role=<role> flush=<flushDiskType> pid=<pid>`.
 */
import {parseArgs} from 'node:util'
import {ConfigError, type ExitCodeValue} from '../errors.js'
import {loadBrokerConfig} from './broker-config.js'
import {BrokerController} from './broker-controller.js'
import {isProcessEntry, type ProcessIO, processIO, runUntilSignal} from './process-main.js'

export function parseBrokerArgs(argv: string[]): {configFile: string} {
  let values: {config?: string}
  try {
    ;({values} = parseArgs({args: argv, options: {config: {type: 'string', short: 'c'}}, strict: true}))
  } catch (err) {
    throw new ConfigError(`broker: ${(err as Error).message}`)
  }
  if (values.config === undefined) throw new ConfigError('broker: -c <broker.conf>: expected the path of a broker.conf file')
  return {configFile: values.config}
}

/** Runs a broker in this process until SIGTERM/SIGINT; resolves with the exit code. */
export function runBroker(argv: string[], io: ProcessIO = processIO): Promise<ExitCodeValue> {
  return runUntilSignal(async () => {
    const {configFile} = parseBrokerArgs(argv)
    const config = await loadBrokerConfig(configFile)
    const ctl = await BrokerController.start(config, {log: io.stderr})
    const c = ctl.config
    return {
      readyLine: `mqbench broker ready name=${c.brokerName} id=${c.brokerId} addr=${ctl.brokerAddr} role=${c.brokerRole} flush=${c.flushDiskType} pid=${process.pid}`,
      stop: () => ctl.stop(),
    }
  }, io)
}

if (isProcessEntry(import.meta.url)) {
  runBroker(process.argv.slice(2)).then((code) => process.exit(code))
}
