/**
 * What `run` and `chaos` share once their flags are parsed: flag → scenario overrides, the presenter,
 * Ctrl-C handling and the gates. The commands stay adapters; the sequence lives here once.
 */
import {type GateOptions, applyGates, prepareGates} from './run-gates.js'
import {attachPresenter, interruptSignal, renderForTerminal, useColor} from './run-presenter.js'
import type {RunResult} from '../report/run-result.js'
import {RunEvents, runScenario} from '../runner/index.js'
import {checkWritableDir} from '../recorder/path-checks.js'
import type {ScenarioOverrides} from '../scenario/overrides.js'
import type {Scenario} from '../scenario/schema.js'
import type {BrokerRole, FlushDiskType} from '../protocol/common/broker-role.js'

export interface RunFlagValues {
  rate?: number
  duration?: number
  size?: number
  producers?: number
  consumers?: number
  'send-mode'?: 'sync' | 'async' | 'oneway'
  flush?: FlushDiskType
  role?: Exclude<BrokerRole, 'SLAVE'>
  target?: 'embedded' | 'rocketmq'
  client?: 'mqbench' | 'java'
  seed?: number
  threshold?: string[]
}

export function overridesFromFlags(flags: RunFlagValues): ScenarioOverrides {
  return {
    rate: flags.rate, durationMs: flags.duration, sizeBytes: flags.size, producers: flags.producers, consumers: flags.consumers,
    sendMode: flags['send-mode'], flushDiskType: flags.flush, brokerRole: flags.role, target: flags.target, client: flags.client, seed: flags.seed,
    thresholds: flags.threshold,
  }
}

export interface SessionOutput {
  json: boolean
  log: (text: string) => void
  /** Each warning the run emits (the presenter prints them on stderr too); --json puts them in the envelope. */
  warn?: (message: string) => void
}

/** Runs the scenario with a live presenter, prints the report, applies thresholds/baseline/JUnit (exit 1 on failure). */
export async function runSession(scenario: Scenario, scenarioFile: string, flags: GateOptions & {out: string}, out: SessionOutput): Promise<RunResult> {
  checkWritableDir(flags.out, '--out')
  const gates = prepareGates(flags)
  const events = new RunEvents()
  const detach = attachPresenter(events, {quiet: out.json})
  if (out.warn) events.on('warning', out.warn)
  const interrupt = interruptSignal()
  try {
    const {result} = await runScenario({scenario, scenarioFile, outDir: flags.out, events, signal: interrupt.signal})
    detach()
    if (!out.json) out.log(renderForTerminal(result))
    applyGates(result, gates, {quiet: out.json, color: useColor(process.stdout), log: out.log})
    return result
  } finally {
    detach()
    interrupt.dispose()
  }
}
