/**
 * The one place that knows oclif's error and JSON conventions. Every command extends this:
 * `--json` wraps results as {status, result, warnings}; errors become one line on stderr (or
 * {status, error} under --json) with the exit code of the four-row table in src/errors.ts.
 */
import {Command} from '@oclif/core'
import {ExitCode, MqbenchError, toMqbenchError} from '../errors.js'

interface OclifErrorShape {
  oclif?: {exit?: number}
  code?: string
}

export abstract class MqbenchCommand extends Command {
  static override enableJsonFlag = true

  /** Appended to every command's description so `--help` lists the exit codes. */
  static readonly EXIT_CODES_HELP = 'EXIT CODES\n  0 ok\n  1 a threshold or verdict failed\n  2 usage or config error\n  3 the run itself broke'

  protected warnings: string[] = []

  protected warn2(message: string): void {
    this.warnings.push(message)
    if (!this.jsonEnabled()) process.stderr.write(`Warning: ${message}\n`)
  }

  /** What a run session prints through: oclif's log (silent under --json), and the run's warnings into the envelope. */
  protected sessionOutput(): {json: boolean; log: (text: string) => void; warn: (message: string) => void} {
    return {json: this.jsonEnabled(), log: (s) => this.log(s), warn: (m) => this.warnings.push(m)}
  }

  protected override toSuccessJson(result: unknown): unknown {
    return {status: typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok, result, warnings: this.warnings}
  }

  protected override async catch(err: Error & OclifErrorShape): Promise<unknown> {
    // oclif's own exits (help, version, this.exit) carry their code in err.oclif.exit.
    if (err.code === 'EEXIT') {
      process.exitCode = err.oclif?.exit ?? 0
      return undefined
    }
    const parseExit = err.oclif?.exit
    const mq: MqbenchError = typeof parseExit === 'number' && !(err instanceof MqbenchError)
      ? new MqbenchError('USAGE', oneLine(err.message), {exitCode: parseExit === 1 || parseExit === 2 ? ExitCode.usage : ExitCode.runBroke})
      : toMqbenchError(err)
    if (mq.exitCode === ExitCode.usage) Object.defineProperty(mq, 'message', {value: oneLine(mq.message)})
    process.exitCode = mq.exitCode
    if (this.jsonEnabled()) {
      this.logJson({status: mq.exitCode, error: {...mq.toJSON(), code: mq.code, message: mq.message, hint: mq.hint}})
      return undefined
    }
    process.stderr.write(`Error: ${oneLine(mq.message)}\n`)
    if (mq.hint) process.stderr.write(`Hint: ${mq.hint}\n`)
    if (process.env.DEBUG && err.stack) process.stderr.write(`${err.stack}\n`)
    return undefined
  }
}

/** oclif wraps flag errors as "Parsing --x\n\t<reason>\nSee more help with --help": keep the reason. */
export function oneLine(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l && !/^Parsing --\S+$/.test(l) && !/^See more help/.test(l))
  const first = lines[0] ?? message.trim()
  return first.endsWith(':') && lines[1] ? `${first} ${lines[1].replace(/\s+/g, ' ')}` : first
}
