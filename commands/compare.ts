import {Args, Flags} from '@oclif/core'
import {MqbenchCommand} from '../src/cli/base-command.js'
import {regressionFlag} from '../src/cli/flags.js'
import {terminalWidth, useColor} from '../src/cli/run-presenter.js'
import {ExitCode} from '../src/errors.js'
import {compareRuns, DEFAULT_MAX_REGRESSION_PCT, renderComparison, type Comparison} from '../src/report/compare-runs.js'

export default class Compare extends MqbenchCommand {
  static override description = `Compare a result with one or more baselines: key figures side by side with their change. Exits 1 when latency rises or throughput falls beyond --max-regression and beyond the noise (the baselines' spread, or the runs' own second-to-second variation), or when messages are newly lost, corrupt or unexpected.\n\n${MqbenchCommand.EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> compare baseline/result.json runs/latest --max-regression 10%',
    '<%= config.bin %> compare runs/base-1 runs/base-2 runs/base-3 runs/latest   # three baselines, gated on their spread',
  ]
  static override strict = false
  static override args = {
    baseline: Args.string({description: 'baseline run directory or result.json (several: give each, the current run last)', required: true}),
    current: Args.string({description: 'current run directory or result.json', required: true}),
  }
  static override flags = {
    'max-regression': regressionFlag({description: 'allowed worsening of a gated figure, e.g. 10%', default: DEFAULT_MAX_REGRESSION_PCT}),
    strict: Flags.boolean({description: 'refuse (exit 2) to compare runs of another scenario, target, rate, size or duration'}),
  }

  async run(): Promise<Comparison> {
    const {argv, flags} = await this.parse(Compare)
    const paths = argv as string[]
    const comparison = compareRuns(paths.slice(0, -1), paths.at(-1)!, {maxRegressionPct: flags['max-regression'], strict: flags.strict})
    for (const m of comparison.mismatches) this.warn2(`the runs differ in ${m}; they measure different things`)
    if (!this.jsonEnabled()) this.log(renderComparison(comparison, {color: useColor(process.stdout), width: terminalWidth(process.stdout)}))
    if (!comparison.pass) process.exitCode = ExitCode.failed
    return comparison
  }
}
