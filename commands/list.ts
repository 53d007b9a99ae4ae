import {MqbenchCommand} from '../src/cli/base-command.js'
import {listBuiltinScenarios, type BuiltinScenario} from '../src/scenario/builtin.js'

export default class List extends MqbenchCommand {
  static override description = `List the built-in scenarios with a one-line description.\n\n${MqbenchCommand.EXIT_CODES_HELP}`

  async run(): Promise<BuiltinScenario[]> {
    await this.parse(List)
    const scenarios = listBuiltinScenarios()
    const width = Math.max(...scenarios.map((s) => s.name.length))
    // Which command runs it, and whether a FAIL is the expected outcome (a demonstration).
    for (const s of scenarios) this.log(`${s.name.padEnd(width)}  ${s.command.padEnd(5)}  ${s.expectedVerdict === 'FAIL' ? 'expected FAIL  ' : ''}${s.description}`)
    return scenarios
  }
}
