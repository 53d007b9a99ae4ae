import {Args} from '@oclif/core'
import {MqbenchCommand} from '../src/cli/base-command.js'
import {runFlags} from '../src/cli/flags.js'
import {overridesFromFlags, runSession, workloadFlags} from '../src/cli/run-session.js'
import type {RunResult} from '../src/report/run-result.js'
import {resolveScenario} from '../src/scenario/builtin.js'
import {applyOverrides} from '../src/scenario/overrides.js'

export default class Run extends MqbenchCommand {
  static override description = `Start a cluster, drive load at a target rate, audit every message, report.\n\n${MqbenchCommand.EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> run sync-flush-sync-master', '<%= config.bin %> run sync-flush --rate 5k --duration 20s --json']
  static override args = {scenario: Args.string({description: 'built-in scenario name (see `mqbench list`) or a path to a YAML file', required: true})}
  static override flags = runFlags

  async run(): Promise<RunResult> {
    const {args, flags} = await this.parse(Run)
    const {scenario, file} = resolveScenario(args.scenario, workloadFlags(flags))
    return runSession(applyOverrides(scenario, overridesFromFlags(flags)), file, flags, this.sessionOutput())
  }
}
