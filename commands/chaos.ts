import {Args} from '@oclif/core'
import {MqbenchCommand} from '../src/cli/base-command.js'
import {boundedInt, runFlags} from '../src/cli/flags.js'
import {attachPresenter, interruptSignal, renderForTerminal, useColor} from '../src/cli/run-presenter.js'
import {applyGates, prepareGates} from '../src/cli/run-gates.js'
import {ConfigError} from '../src/errors.js'
import type {RunResult} from '../src/report/run-result.js'
import {RunEvents, runScenario, withCycles} from '../src/runner/index.js'
import {resolveScenario} from '../src/scenario/builtin.js'
import {applyOverrides} from '../src/scenario/overrides.js'

export default class Chaos extends MqbenchCommand {
  static override description = `Like run, with the scenario's fault schedule: break the cluster under load, heal, drain every replica, and check what the mode promises.\n\n${MqbenchCommand.EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> chaos power-loss', '<%= config.bin %> chaos power-loss --flush ASYNC_FLUSH --cycles 5 --json']
  static override args = {scenario: Args.string({description: 'built-in chaos scenario (see `mqbench list`) or a path to a YAML file with faults', required: true})}
  static override flags = {...runFlags, cycles: boundedInt(1, 1000)({description: 'run every repeating fault N times (the load grows to fit them)'})}

  async run(): Promise<RunResult> {
    const {args, flags} = await this.parse(Chaos)
    const {scenario: loaded, file} = resolveScenario(args.scenario)
    let scenario = applyOverrides(loaded, {
      rate: flags.rate, durationMs: flags.duration, sizeBytes: flags.size, producers: flags.producers, consumers: flags.consumers,
      sendMode: flags['send-mode'], flushDiskType: flags.flush, brokerRole: flags.role, target: flags.target, seed: flags.seed,
      thresholds: flags.threshold,
    })
    if (scenario.faults.length === 0) throw new ConfigError(`scenario ${scenario.name} has no faults`, {hint: 'use `mqbench run` for fault-free runs'})
    if (flags.cycles !== undefined) scenario = withCycles(scenario, flags.cycles)
    const gates = prepareGates(flags)
    const events = new RunEvents()
    const detach = attachPresenter(events, {quiet: this.jsonEnabled()})
    const interrupt = interruptSignal()
    try {
      const {result} = await runScenario({scenario, scenarioFile: file, outDir: flags.out, events, signal: interrupt.signal})
      detach()
      if (!this.jsonEnabled()) this.log(renderForTerminal(result))
      applyGates(result, gates, {quiet: this.jsonEnabled(), color: useColor(process.stdout), log: (s) => this.log(s)})
      return result
    } finally {
      detach()
      interrupt.dispose()
    }
  }
}
