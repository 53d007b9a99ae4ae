/**
 * What `run` and `chaos` share once their flags are parsed: flag → scenario overrides, the presenter,
 * Ctrl-C handling and the gates. The commands stay adapters; the sequence lives here once.
 */
import {type GateOptions, applyGates, prepareGates} from './run-gates.js'
import {attachPresenter, interruptSignal, renderForTerminal, useColor} from './run-presenter.js'
import type {RunResult} from '../report/run-result.js'
import {RunEvents, runScenario} from '../runner/index.js'
import type {ScenarioOverrides} from '../scenario/overrides.js'
import type {Scenario} from '../scenario/schema.js'

export interface RunFlagValues {
  rate?: number
  duration?: number
  size?: number
  producers?: number
  consumers?: number
  'send-mode'?: 'sync' | 'async' | 'oneway'
  flush?: 'SYNC_FLUSH' | 'ASYNC_FLUSH'
  role?: 'SYNC_MASTER' | 'ASYNC_MASTER'
  target?: 'embedded' | 'rocketmq'
  'rocketmq-version'?: string
  seed?: number
  threshold?: string[]
}

export function overridesFromFlags(flags: RunFlagValues): ScenarioOverrides {
  return {
    rate: flags.rate, durationMs: flags.duration, sizeBytes: flags.size, producers: flags.producers, consumers: flags.consumers,
    sendMode: flags['send-mode'], flushDiskType: flags.flush, brokerRole: flags.role, target: flags.target, rocketmqVersion: flags['rocketmq-version'], seed: flags.seed,
    thresholds: flags.threshold,
  }
}

export interface SessionOutput {
  json: boolean
  log: (text: string) => void
}

/** Runs the scenario with a live presenter, prints the report, applies thresholds/baseline/JUnit (exit 1 on failure). */
export async function runSession(scenario: Scenario, scenarioFile: string, flags: GateOptions & {out: string}, out: SessionOutput): Promise<RunResult> {
  const gates = prepareGates(flags)
  const events = new RunEvents()
  const detach = attachPresenter(events, {quiet: out.json})
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
