import {Flags} from '@oclif/core'
import {MqbenchCommand} from '../../src/cli/base-command.js'
import {runNamesrv} from '../../src/broker/namesrv/main.js'

export default class NamesrvStart extends MqbenchCommand {
  static override description = `Run the embedded namesrv in the foreground (the process a run spawns).\n\n${MqbenchCommand.EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> namesrv start --port 9876']
  static override enableJsonFlag = false
  static override flags = {port: Flags.integer({description: 'listen port on 127.0.0.1 (0 = any free port)', default: 9876, min: 0, max: 65535})}

  async run(): Promise<void> {
    const {flags} = await this.parse(NamesrvStart)
    process.exitCode = await runNamesrv(['--port', String(flags.port)])
  }
}
