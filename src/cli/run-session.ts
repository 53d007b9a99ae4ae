/**
 * What `run` and `chaos` share once their flags are parsed: flag → scenario overrides, the presenter,
 * Ctrl-C handling and the gates. The commands stay adapters; the sequence lives here once.
 */
import {type GateOptions, applyGates, prepareGates} from './run-gates.js'
import {attachPresenter, interruptSignal, renderForTerminal, useColor} from './run-presenter.js'
import type {RunResult} from '../report/run-result.js'
import {ExitCode} from '../errors.js'
import {refuseMismatch} from '../report/compare-runs.js'
import {formatBytes} from '../units.js'
import {RunEvents, removeStores, runScenario} from '../runner/index.js'
import type {WorkloadFlag} from '../scenario/load.js'
import {checkWritableDir} from '../recorder/path-checks.js'
import type {ScenarioOverrides} from '../scenario/overrides.js'
import type {Scenario} from '../scenario/schema.js'
import type {FlushDiskType, MasterRole} from '../protocol/common/broker-role.js'

export interface RunFlagValues {
  rate?: string
  duration?: string
  size?: string
  producers?: string | number
  consumers?: string | number
  'send-mode'?: 'sync' | 'async' | 'oneway'
  flush?: FlushDiskType
  role?: MasterRole
  target?: 'embedded' | 'rocketmq'
  client?: 'mqbench' | 'java'
  'rocketmq-version'?: string
  namesrv?: string
  seed?: number
  threshold?: string[]
}

/** Flags that set workload keys, in the schema's terms (validated with the scenario file, load.ts). */
export function workloadFlags(flags: RunFlagValues): WorkloadFlag[] {
  const pairs: [string, WorkloadFlag['key'], string | number | undefined][] = [
    ['--rate', 'rate', flags.rate], ['--duration', 'duration', flags.duration], ['--size', 'messageSize', flags.size],
    ['--producers', 'producers', flags.producers], ['--consumers', 'consumers', flags.consumers],
  ]
  return pairs.filter(([, , v]) => v !== undefined).map(([flag, key, value]) => ({flag, key, value: value!}))
}

export function overridesFromFlags(flags: RunFlagValues): ScenarioOverrides {
  return {
    sendMode: flags['send-mode'], flushDiskType: flags.flush, brokerRole: flags.role, target: flags.target, client: flags.client, rocketmqVersion: flags['rocketmq-version'], namesrv: flags.namesrv, seed: flags.seed,
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
export async function runSession(scenario: Scenario, scenarioFile: string, flags: GateOptions & {out: string; 'keep-store'?: boolean}, out: SessionOutput): Promise<RunResult> {
  checkWritableDir(flags.out, '--out')
  const gates = prepareGates(flags)
  // --strict: a baseline of another configuration is refused now, not after minutes of load.
  if (gates.baselines) refuseMismatch(gates.baselines, {name: scenario.name, target: scenario.target, workload: scenario.workload as unknown as Record<string, unknown>}, gates.strict)
  const events = new RunEvents()
  const detach = attachPresenter(events, {quiet: out.json})
  if (out.warn) events.on('warning', out.warn)
  const interrupt = interruptSignal()
  try {
    const {result} = await runScenario({scenario, scenarioFile, outDir: flags.out, events, signal: interrupt.signal})
    detach()
    if (!out.json) out.log(renderForTerminal(result))
    applyGates(result, gates, {quiet: out.json, color: useColor(process.stdout), log: out.log})
    // The broker stores (tens of MB a run) only tell something when the run failed; a broken run throws above and keeps them.
    if (!flags['keep-store'] && process.exitCode !== ExitCode.failed) {
      const freed = removeStores(result.runDir)
      if (freed > 0 && !out.json) process.stderr.write(`  removed the broker stores (${formatBytes(freed)}); --keep-store keeps them\n`)
    }
    return result
  } finally {
    detach()
    interrupt.dispose()
  }
}
