import {Flags} from '@oclif/core'
import {MqbenchCommand} from '../src/cli/base-command.js'
import {boundedInt, durationFlag, rateFlag} from '../src/cli/flags.js'
import {matrixSession} from '../src/cli/matrix-session.js'
import {DEFAULT_MATRIX_BUDGET_MS} from '../src/matrix/matrix-plan.js'
import type {MatrixResult} from '../src/matrix/matrix-result.js'

export default class Matrix extends MqbenchCommand {
  static override description = `The cost of durability, measured: for SYNC_FLUSH/ASYNC_FLUSH × SYNC_MASTER/ASYNC_MASTER (master + slave) and the single-master rows, the max sustainable rate, latency at one common rate, and what a master power cut and a master disk loss lose, each judged against the mode's promise.\n\n${MqbenchCommand.EXIT_CODES_HELP}`
  static override examples = ['<%= config.bin %> matrix', '<%= config.bin %> matrix --target both --budget 20m', "<%= config.bin %> matrix --threshold 'cell[SYNC_FLUSH/SYNC_MASTER].powerCut.lost==0'"]
  static override flags = {
    target: Flags.option({options: ['embedded', 'rocketmq', 'both'] as const, default: 'embedded' as const, description: 'broker implementation(s); both = side by side in one run'})(),
    client: Flags.option({options: ['mqbench', 'java'] as const, default: 'mqbench' as const, description: 'client driving the load'})(),
    budget: durationFlag({description: 'wall-time budget of the whole matrix (fault runs have a floor of ~5 s each)', default: DEFAULT_MATRIX_BUDGET_MS}),
    seed: boundedInt(0, 0xffffffff)({description: 'seed for every run of the matrix'}),
    'max-p99': durationFlag({description: 'a rate holds while send p99 stays within this', default: 50}),
    'fault-rate': rateFlag({description: 'send rate during the fault runs', default: 1500}),
    cells: Flags.string({description: "only these cells, repeatable or comma-separated: 'SYNC_FLUSH/SYNC_MASTER', 'ASYNC_FLUSH/single'", multiple: true}),
    'broker-conf': Flags.string({description: "broker.conf key=value added to every master (e.g. mqbenchBrokenMode=ack-before-fsync)", multiple: true}),
    threshold: Flags.string({description: "gate over cells, repeatable: 'cell[SYNC_FLUSH/SYNC_MASTER].powerCut.lost==0', 'cell[ASYNC_FLUSH/single].maxRate>=1000'", multiple: true}),
    junit: Flags.string({description: 'write JUnit XML here: one test case per verdict and threshold'}),
    out: Flags.string({description: 'parent directory for the matrix directory', default: 'runs'}),
  }

  async run(): Promise<MatrixResult> {
    const {flags} = await this.parse(Matrix)
    return matrixSession(flags, {json: this.jsonEnabled(), log: (s) => this.log(s)})
  }
}
