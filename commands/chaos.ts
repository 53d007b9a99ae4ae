import {Args} from '@oclif/core'
import {MqbenchCommand} from '../src/cli/base-command.js'
import {boundedInt, runFlags} from '../src/cli/flags.js'
import {overridesFromFlags, runSession, workloadFlags} from '../src/cli/run-session.js'
import {ConfigError} from '../src/errors.js'
import type {RunResult} from '../src/report/run-result.js'
import {withCycles} from '../src/runner/index.js'
import {resolveScenario} from '../src/scenario/builtin.js'
import {applyOverrides} from '../src/scenario/overrides.js'

export default class Chaos extends MqbenchCommand {
  static override description = `Like run, with the scenario's fault schedule: break the cluster under load, heal, drain every replica, and check what the mode promises.\n\n${MqbenchCommand.EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> chaos power-loss', '<%= config.bin %> chaos power-loss --flush ASYNC_FLUSH --cycles 5 --json']
  static override args = {scenario: Args.string({description: 'built-in chaos scenario (see `mqbench list`) or a path to a YAML file with faults', required: true})}
  static override flags = {...runFlags, cycles: boundedInt(1, 1000)({description: 'run every repeating fault N times (the load grows to fit them)'})}

  async run(): Promise<RunResult> {
    const {args, flags} = await this.parse(Chaos)
    const {scenario: loaded, file} = resolveScenario(args.scenario, workloadFlags(flags))
    let scenario = applyOverrides(loaded, overridesFromFlags(flags))
    if (scenario.faults.length === 0) throw new ConfigError(`scenario ${scenario.name} has no faults`, {hint: 'use `mqbench run` for fault-free runs'})
    if (flags.cycles !== undefined) scenario = withCycles(scenario, flags.cycles)
    return runSession(scenario, file, flags, this.sessionOutput())
  }
}
