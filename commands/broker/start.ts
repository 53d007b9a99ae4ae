import {Flags} from '@oclif/core'
import {MqbenchCommand} from '../../src/cli/base-command.js'
import {runBroker} from '../../src/broker/main.js'

export default class BrokerStart extends MqbenchCommand {
  static override description = `Run one embedded broker in the foreground (the process a run spawns).\n\nPrints a ready line, stops cleanly on SIGTERM/SIGINT (checkpoint written).\n\n${MqbenchCommand.EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> broker start -c broker.conf']
  static override enableJsonFlag = false
  static override flags = {config: Flags.string({char: 'c', description: 'RocketMQ-style broker.conf', required: true})}

  async run(): Promise<void> {
    const {flags} = await this.parse(BrokerStart)
    process.exitCode = await runBroker(['-c', flags.config])
  }
}
