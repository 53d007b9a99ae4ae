import {Args} from '@oclif/core'
import {MqbenchCommand} from '../src/cli/base-command.js'
import {runFlags} from '../src/cli/flags.js'
import {attachPresenter, interruptSignal, renderForTerminal, useColor} from '../src/cli/run-presenter.js'
import {applyGates, prepareGates} from '../src/cli/run-gates.js'
import type {RunResult} from '../src/report/run-result.js'
import {RunEvents, runScenario} from '../src/runner/index.js'
import {resolveScenario} from '../src/scenario/builtin.js'
import {applyOverrides} from '../src/scenario/overrides.js'

export default class Run extends MqbenchCommand {
  static override description = `Start a cluster, drive load at a target rate, audit every message, report.\n\n${MqbenchCommand.EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> run sync-flush-sync-master', '<%= config.bin %> run sync-flush --rate 5k --duration 20s --json']
  static override args = {scenario: Args.string({description: 'built-in scenario name (see `mqbench list`) or a path to a YAML file', required: true})}
  static override flags = runFlags

  async run(): Promise<RunResult> {
    const {args, flags} = await this.parse(Run)
    const {scenario: loaded, file} = resolveScenario(args.scenario)
    const scenario = applyOverrides(loaded, {
      rate: flags.rate, durationMs: flags.duration, sizeBytes: flags.size, producers: flags.producers, consumers: flags.consumers,
      sendMode: flags['send-mode'], flushDiskType: flags.flush, brokerRole: flags.role, target: flags.target, seed: flags.seed,
      thresholds: flags.threshold,
    })
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
