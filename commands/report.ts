import {Args, Flags} from '@oclif/core'
import {MqbenchCommand} from '../src/cli/base-command.js'
import {terminalWidth, useColor} from '../src/cli/run-presenter.js'
import {renderStoredReport, REPORT_FORMATS, type StoredReport} from '../src/report/stored-report.js'

export default class Report extends MqbenchCommand {
  static override description = `Re-render stored runs: the HTML report (one run, or several overlaid), the terminal tables, result JSON, JUnit XML or the HdrHistogram interval log.\n\n${MqbenchCommand.EXIT_CODES_HELP}`
  static override examples = [
    '<%= config.bin %> report runs/sync-flush-20250101T100000Z-a1b2c3',
    '<%= config.bin %> report runs/a runs/b runs/c runs/d --output flush-vs-replication.html',
    '<%= config.bin %> report runs/a --format hlog > run.hlog',
  ]
  static override strict = false
  static override args = {run: Args.string({description: 'run directory or result.json (html: several to overlay)', required: true})}
  static override flags = {
    format: Flags.option({options: REPORT_FORMATS, default: 'html' as const, description: 'what to render'})(),
    output: Flags.string({char: 'o', description: 'write here instead of the default (html: <run-dir>/report.html; others: stdout)'}),
  }

  async run(): Promise<Omit<StoredReport, 'results'> & {runs: string[]}> {
    // --json wraps what was rendered: the text of --format text/json/junit/hlog goes in `text`, never dropped.
    const {argv, flags} = await this.parse(Report)
    const report = renderStoredReport({runs: argv as string[], format: flags.format, output: flags.output, color: useColor(process.stdout), width: terminalWidth(process.stdout)})
    if (!this.jsonEnabled()) {
      if (report.text !== undefined) process.stdout.write(report.text)
      else this.log(`wrote ${report.file}`)
    }
    return {format: report.format, ...(report.file ? {file: report.file} : {}), ...(report.text === undefined ? {} : {text: report.text}), runs: report.results.map((r) => r.runDir)}
  }
}
