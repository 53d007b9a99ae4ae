import {Args} from '@oclif/core'
import {auditSession} from '../src/cli/audit-session.js'
import {MqbenchCommand} from '../src/cli/base-command.js'
import type {RunResult} from '../src/report/run-result.js'

export default class Audit extends MqbenchCommand {
  static override description = `Re-run the audit offline over a stored run directory (its ledgers and saved drain): the same audit, verdict and thresholds as the run printed.\n\n${MqbenchCommand.EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> audit runs/sync-flush-20250101T100000Z-a1b2c3', '<%= config.bin %> audit runs/power-loss-20250101T100000Z-a1b2c3 --json']
  static override args = {run: Args.string({description: 'run directory (or its result.json)', required: true})}

  async run(): Promise<RunResult> {
    const {args} = await this.parse(Audit)
    return auditSession(args.run, this.sessionOutput())
  }
}
