import {Flags} from '@oclif/core'
import {MqbenchCommand} from '../src/cli/base-command.js'
import {boundedInt} from '../src/cli/flags.js'
import {cleanRuns, type CleanResult} from '../src/runner/index.js'
import {formatBytes} from '../src/units.js'

export default class Clean extends MqbenchCommand {
  static override description = `Remove old run directories, keeping the newest --keep-last (the one runs/latest points to first).\n\n${MqbenchCommand.EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> clean', '<%= config.bin %> clean --out runs --keep-last 5']
  static override flags = {
    out: Flags.string({description: 'the directory that holds the run directories', default: 'runs'}),
    'keep-last': boundedInt(0, 1_000_000)({description: 'how many of the newest runs to keep', default: 1}),
  }

  async run(): Promise<CleanResult> {
    const {flags} = await this.parse(Clean)
    const result = cleanRuns(flags.out, flags['keep-last'])
    if (!this.jsonEnabled()) this.log(`removed ${result.removed.length} run(s) (${formatBytes(result.bytesFreed)}), kept ${result.kept.length}`)
    return result
  }
}
