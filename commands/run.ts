import {Args, Flags} from '@oclif/core'
import {MqbenchCommand} from '../src/cli/base-command.js'
import {durationFlag, runFlags} from '../src/cli/flags.js'
import {rateSearchSession} from '../src/cli/rate-search-session.js'
import {overridesFromFlags, runSession, workloadFlags} from '../src/cli/run-session.js'
import type {RateSearchResult} from '../src/matrix/rate-search.js'
import type {RunResult} from '../src/report/run-result.js'
import {resolveScenario} from '../src/scenario/builtin.js'
import {applyOverrides} from '../src/scenario/overrides.js'

export default class Run extends MqbenchCommand {
  static override description = `Start a cluster, drive load at a target rate, audit every message, report. With --rate max, search the highest rate the target sustains.\n\n${MqbenchCommand.EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> run sync-flush-sync-master', '<%= config.bin %> run sync-flush --rate 5k --duration 20s --json', '<%= config.bin %> run sync-flush --rate max --max-p99 50ms --budget 2m']
  static override args = {scenario: Args.string({description: 'built-in scenario name (see `mqbench list`) or a path to a YAML file', required: true})}
  static override flags = {
    ...runFlags,
    rate: Flags.string({description: 'target send rate across all producers, e.g. 5000 or 5k (0 = as fast as possible; max = search the highest sustained rate)', helpValue: '<msg/s|max>'}),
    'max-p99': durationFlag({description: 'with --rate max: a step holds while send p99 stays within this', default: 50}),
    budget: durationFlag({description: 'with --rate max: wall-time bound of the whole search', default: 60_000}),
  }

  async run(): Promise<RateSearchResult | RunResult> {
    const {args, flags} = await this.parse(Run)
    // --rate max searches the rate, so the scenario keeps its own and the other workload flags still pass the schema.
    const searching = flags.rate?.trim().toLowerCase() === 'max'
    const {scenario, file} = resolveScenario(args.scenario, workloadFlags(searching ? {...flags, rate: undefined} : flags))
    const resolved = applyOverrides(scenario, overridesFromFlags(flags))
    if (searching) return rateSearchSession(resolved, file, flags, this.sessionOutput())
    return runSession(resolved, file, flags, this.sessionOutput())
  }
}
