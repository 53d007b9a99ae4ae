/** The --json envelope carries the run's warnings (it was always [] before): what a session warns ends up in `warnings`. */
import {join} from 'node:path'
import {Config} from '@oclif/core'
import {describe, expect, it} from 'vitest'
import {MqbenchCommand} from '../../../src/cli/base-command.js'

class Warns extends MqbenchCommand {
  static override id = 'warns'
  async run(): Promise<unknown> {
    const out = this.sessionOutput()
    out.warn('consumer groups still 3 message(s) behind after 100 ms; stopping them anyway')
    out.warn('cluster stop: broker-a-0 did not exit')
    return {ok: true}
  }

  envelope(result: unknown): unknown {
    return this.toSuccessJson(result)
  }
}

describe('MqbenchCommand --json envelope', () => {
  it('fills warnings from the session, in order', async () => {
    const config = await Config.load(join(import.meta.dirname, '..', '..', '..'))
    const cmd = new Warns(['--json'], config)
    const result = await cmd.run()
    const saved = process.exitCode
    process.exitCode = undefined
    try {
      expect(cmd.envelope(result)).toEqual({
        status: 0, result: {ok: true},
        warnings: ['consumer groups still 3 message(s) behind after 100 ms; stopping them anyway', 'cluster stop: broker-a-0 did not exit'],
      })
    } finally {
      process.exitCode = saved
    }
  })
})
