/**
 * What the broker and namesrv process entries share: start, print the one ready line the cluster
 * supervisor waits for, stop cleanly on SIGTERM/SIGINT (exit 0), and turn a ConfigError into one
 * line on stderr and exit 2 (no stack trace for bad input).
 */
import {realpathSync} from 'node:fs'
import {pathToFileURL} from 'node:url'
import {ConfigError, ExitCode, type ExitCodeValue, toMqbenchError} from '../errors.js'
import {onParentDeath} from './parent-lifeline.js'

const ORPHAN_STOP_GRACE_MS = 3000

export interface RunningNode {
  readyLine: string
  stop(): Promise<void>
}

export interface ProcessIO {
  stdout: (line: string) => void
  stderr: (line: string) => void
}

export const processIO: ProcessIO = {
  stdout: (line) => process.stdout.write(line + '\n'),
  stderr: (line) => process.stderr.write(line + '\n'),
}

/** Resolves with the exit code once the node has stopped (after a signal) or failed to start. */
export async function runUntilSignal(start: () => Promise<RunningNode>, io: ProcessIO = processIO): Promise<ExitCodeValue> {
  let node: RunningNode
  try {
    node = await start()
  } catch (err) {
    const e = toMqbenchError(err)
    io.stderr(err instanceof ConfigError ? e.message : `startup failed: ${e.message}`)
    return err instanceof ConfigError ? ExitCode.usage : e.exitCode
  }
  // Handlers go in before the ready line: a supervisor may send SIGTERM the instant it reads it.
  const stopped = new Promise<ExitCodeValue>((resolve) => {
    let stopping = false
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) return
      stopping = true
      io.stderr(`${signal}: shutting down`)
      node.stop().then(
        () => resolve(ExitCode.ok),
        (err: unknown) => {
          io.stderr(`shutdown failed: ${toMqbenchError(err).message}`)
          resolve(ExitCode.runBroke)
        },
      ).finally(() => {
        process.off('SIGTERM', onSignal)
        process.off('SIGINT', onSignal)
      })
    }
    process.on('SIGTERM', onSignal)
    process.on('SIGINT', onSignal)
    // An orchestrator killed with SIGKILL sends no signal: its closed lifeline stands in for SIGTERM,
    // and a stop that hangs must not leave an orphan holding its ports.
    onParentDeath(() => {
      io.stderr('parent process gone: shutting down')
      setTimeout(() => process.exit(ExitCode.runBroke), ORPHAN_STOP_GRACE_MS).unref()
      onSignal('SIGTERM')
    })
  })
  io.stdout(node.readyLine)
  return await stopped
}

/** True when `moduleUrl` is the script node was started with (not merely imported by the CLI). */
export function isProcessEntry(moduleUrl: string): boolean {
  const script = process.argv[1]
  if (script === undefined) return false
  try {
    return moduleUrl === pathToFileURL(realpathSync(script)).href
  } catch {
    return false
  }
}
