/**
 * The whole error vocabulary of mqbench. Every failure a user can see is one of these classes,
 * each with a stable `code` and the exit code it maps to. protocol/ keeps its own ProtocolError
 * (it imports nothing of ours); toMqbenchError() recognises it.
 */
export const ExitCode = {ok: 0, failed: 1, usage: 2, runBroke: 3} as const
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export interface ErrorOptions {
  hint?: string
  cause?: unknown
  exitCode?: ExitCodeValue
  [context: string]: unknown
}

export class MqbenchError extends Error {
  readonly code: string
  readonly hint?: string
  readonly exitCode: ExitCodeValue

  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = new.target.name
    this.code = code
    const {hint, cause: _cause, exitCode, ...context} = options
    this.hint = hint
    this.exitCode = exitCode ?? ExitCode.runBroke
    // Context fields are enumerable own properties so they survive --json output.
    Object.assign(this, context)
  }

  toJSON(): Record<string, unknown> {
    const {stack: _stack, ...rest} = Object.fromEntries(Object.entries(this))
    return {name: this.name, message: this.message, ...rest}
  }
}

/** Bad scenario, flag, broker.conf or other user input: exit 2. */
export class ConfigError extends MqbenchError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('CONFIG', message, {exitCode: ExitCode.usage, ...options})
  }
}

/** A broker answered with a RocketMQ response code we cannot treat as success. */
export class RemotingError extends MqbenchError {
  readonly responseCode: number
  constructor(responseCode: number, message: string, options: ErrorOptions = {}) {
    super('REMOTING', message, {exitCode: ExitCode.runBroke, ...options, responseCode})
    this.responseCode = responseCode
  }
}

/** The network failed: connect refused, connection closed, write failed. */
export class ConnectionError extends MqbenchError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('CONNECTION', message, {exitCode: ExitCode.runBroke, ...options})
  }
}

/** A deadline passed (request, readiness wait, drain). */
export class TimeoutError extends MqbenchError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('TIMEOUT', message, {exitCode: ExitCode.runBroke, ...options})
  }
}

/** A store file is damaged beyond what recovery may silently truncate. */
export class StoreCorruptError extends MqbenchError {
  constructor(message: string, options: ErrorOptions & {file: string; offset: number}) {
    super('STORE_CORRUPT', message, {exitCode: ExitCode.runBroke, ...options})
  }
}

/** The run itself broke: a child died unexpectedly, the user pressed Ctrl-C, a port never opened. */
export class RunBrokenError extends MqbenchError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('RUN_BROKE', message, {exitCode: ExitCode.runBroke, ...options})
  }
}

/** Duck-typed so errors.ts does not import protocol/: ProtocolError has name 'ProtocolError' and a code. */
function isProtocolError(err: unknown): err is Error & {code: string} {
  return err instanceof Error && err.name === 'ProtocolError' && typeof (err as {code?: unknown}).code === 'string'
}

/** Normalises anything thrown into an MqbenchError; malformed frames are bad input (exit 2). */
export function toMqbenchError(err: unknown): MqbenchError {
  if (err instanceof MqbenchError) return err
  if (isProtocolError(err)) return new MqbenchError(`PROTOCOL_${err.code}`, err.message, {exitCode: ExitCode.usage, cause: err})
  if (err instanceof Error) return new MqbenchError('INTERNAL', err.message, {cause: err})
  return new MqbenchError('INTERNAL', String(err))
}
