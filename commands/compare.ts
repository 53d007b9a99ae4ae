import {Args} from '@oclif/core'
import {MqbenchCommand} from '../src/cli/base-command.js'
import {regressionFlag} from '../src/cli/flags.js'
import {useColor} from '../src/cli/run-presenter.js'
import {ExitCode} from '../src/errors.js'
import {compareResults, DEFAULT_MAX_REGRESSION_PCT, renderComparison, type Comparison} from '../src/report/compare.js'
import {locateRun} from '../src/recorder/run-dir.js'
import {readResult} from '../src/report/result-file.js'

export default class Compare extends MqbenchCommand {
  static override description = `Compare a result with a baseline: key figures side by side with their change. Exits 1 when latency rises or throughput falls beyond --max-regression, or when messages are newly lost, corrupt or unexpected.\n\n${MqbenchCommand.EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> compare baseline/result.json runs/latest --max-regression 10%']
  static override args = {
    baseline: Args.string({description: 'baseline run directory or result.json', required: true}),
    current: Args.string({description: 'current run directory or result.json', required: true}),
  }
  static override flags = {
    'max-regression': regressionFlag({description: 'allowed worsening of a gated figure', default: DEFAULT_MAX_REGRESSION_PCT}),
  }

  async run(): Promise<Comparison> {
    const {args, flags} = await this.parse(Compare)
    const baseline = readResult(locateRun(args.baseline).resultPath)
    const current = readResult(locateRun(args.current).resultPath)
    const comparison = compareResults(baseline, current, {maxRegressionPct: flags['max-regression']})
    if (!this.jsonEnabled()) this.log(renderComparison(comparison, {color: useColor(process.stdout)}))
    if (!comparison.pass) process.exitCode = ExitCode.failed
    return comparison
  }
}
