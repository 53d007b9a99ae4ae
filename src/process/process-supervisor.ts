/**
 * Child-process registry for brokers, namesrv and workers. The promise of the architecture is that no
 * process outlives its run: every child spawned here is SIGKILLed when the orchestrator exits, is
 * interrupted (SIGINT/SIGTERM) or dies of an uncaught exception. An orchestrator killed with SIGKILL
 * cannot clean up: then each child's lifeline pipe reads end-of-file and the child stops itself, and
 * the pid files let the next run reap any that could not (pid-files.ts).
 */
import {spawn as spawnChild, type ChildProcess, type StdioOptions} from 'node:child_process'
import type {Socket} from 'node:net'
import {LIFELINE_ENV} from './lifeline.js'
import {removePidFile, writePidFile} from './pid-files.js'
import {createWriteStream, mkdirSync, readFileSync, type WriteStream} from 'node:fs'
import {dirname} from 'node:path'

import {RunBrokenError, TimeoutError} from '../errors.js'

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Every stdout/stderr byte is appended here, so a failed readiness wait can point at the full log. */
  logFile?: string
  /** Open Node's IPC channel as the 4th stdio (worker processes speak it with the orchestrator). */
  ipc?: boolean
  /** Where to record the child's pid, so a later run can reap it if this orchestrator is SIGKILLed (pid-files.ts). */
  pidFile?: string
}

export interface ExitInfo {
  code: number | null
  signal: NodeJS.Signals | null
  /** Set when the process could not be started at all (ENOENT, EACCES). */
  error?: Error
}

// Enough to find a readiness line printed before waitForLine() was called, bounded so chatty JVMs do not grow memory.
const RECENT_LINES_MAX = 2000
const TAIL_LINES_IN_ERRORS = 15

const liveProcesses = new Set<ManagedProcess>()
let reaperInstalled = false

export class ManagedProcess {
  readonly name: string
  readonly pid: number | undefined
  readonly logFile: string | undefined
  readonly child: ChildProcess
  /** Resolves (never rejects) once the OS process is gone and reaped. */
  readonly exited: Promise<ExitInfo>
  private exitInfo: ExitInfo | undefined
  /** Resolves when stdout/stderr are drained: lines printed just before exit arrive after 'exit'. */
  private readonly outputClosed: Promise<void>
  private readonly recentLines: string[] = []
  private readonly lineWaiters = new Set<(line: string) => void>()

  constructor(name: string, child: ChildProcess, logFile: string | undefined) {
    this.name = name
    this.pid = child.pid
    this.child = child
    this.logFile = logFile
    const log = logFile === undefined ? undefined : openLog(logFile)
    let resolveExit!: (info: ExitInfo) => void
    this.exited = new Promise((resolve) => (resolveExit = resolve))
    const finish = (info: ExitInfo): void => {
      if (this.exitInfo !== undefined) return
      this.exitInfo = info
      liveProcesses.delete(this)
      resolveExit(info)
    }
    child.once('error', (error) => finish({code: null, signal: null, error}))
    child.once('exit', (code, signal) => finish({code, signal}))
    this.outputClosed = new Promise((resolve) => {
      child.once('close', () => {
        log?.end()
        resolve()
      })
      child.once('error', () => resolve())
    })
    for (const stream of [child.stdout, child.stderr]) {
      if (stream === null) continue
      stream.setEncoding('utf8')
      let partial = ''
      stream.on('data', (chunk: string) => {
        log?.write(chunk)
        const parts = (partial + chunk).split('\n')
        partial = parts.pop() ?? ''
        for (const line of parts) this.onLine(line.replace(/\r$/, ''))
      })
      stream.on('end', () => partial !== '' && this.onLine(partial))
    }
    if (child.pid !== undefined) liveProcesses.add(this)
  }

  /** True until the OS reports the process gone. A SIGSTOPped process is still running. */
  get running(): boolean {
    return this.exitInfo === undefined && this.pid !== undefined
  }

  /** Exit status, once exited. */
  get exitStatus(): ExitInfo | undefined {
    return this.exitInfo
  }

  /**
   * Resolves with the first stdout/stderr line matching `pattern`, including lines printed before the
   * call. Rejects with TimeoutError after `timeoutMs`, or RunBrokenError if the process exits first.
   */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    const seen = this.recentLines.find((line) => pattern.test(line))
    if (seen !== undefined) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer)
        this.lineWaiters.delete(onLine)
      }
      const onLine = (line: string): void => {
        if (!pattern.test(line)) return
        done()
        resolve(line)
      }
      const timer = setTimeout(() => {
        done()
        reject(new TimeoutError(`${this.name} printed no line matching ${pattern} within ${timeoutMs} ms`, this.failureContext()))
      }, timeoutMs)
      this.lineWaiters.add(onLine)
      void Promise.all([this.exited, this.outputClosed]).then(([info]) => {
        if (!this.lineWaiters.has(onLine)) return
        done()
        reject(new RunBrokenError(`${this.name} exited (${describeExit(info)}) before printing ${pattern}`, this.failureContext()))
      })
    })
  }

  /** Sends `signal` by pid; a no-op once the process is gone. SIGKILL cannot be caught, so kill -9 is real. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (!this.running || this.pid === undefined) return
    try {
      process.kill(this.pid, signal)
    } catch (err) {
      // ESRCH: it died between our check and the signal; the exit event follows.
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
    }
  }

  /**
   * SIGSTOP, resolving once the kernel reports the process stopped: signal delivery is asynchronous, and
   * a chaos step that starts measuring right after pause() must not race a still-running JVM.
   */
  async pause(timeoutMs = 5_000): Promise<void> {
    this.kill('SIGSTOP')
    await this.waitForProcState((state) => state === 'T', 'stopped', timeoutMs)
  }

  /** SIGCONT, resolving once the process is no longer in the stopped state. */
  async resume(timeoutMs = 5_000): Promise<void> {
    this.kill('SIGCONT')
    await this.waitForProcState((state) => state !== 'T', 'running', timeoutMs)
  }

  /** SIGTERM (so a broker runs its shutdown hook), then SIGKILL once `gracefulMs` has passed. */
  async stop(gracefulMs = 10_000): Promise<ExitInfo> {
    if (!this.running) return this.exited
    this.kill('SIGTERM')
    // A paused (SIGSTOPped) process would hold the SIGTERM pending forever; SIGCONT is harmless otherwise.
    this.kill('SIGCONT')
    let timer: NodeJS.Timeout | undefined
    const graceOver = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), gracefulMs)))
    const first = await Promise.race([this.exited, graceOver])
    clearTimeout(timer)
    if (first === 'timeout') this.kill('SIGKILL')
    return this.exited
  }

  /** The last lines of output, for error messages. */
  tail(lines = TAIL_LINES_IN_ERRORS): string[] {
    return this.recentLines.slice(-lines)
  }

  /** Polls /proc/<pid>/stat; where /proc does not exist (macOS) it returns at once. */
  private async waitForProcState(wanted: (state: string) => boolean, label: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (this.running && this.pid !== undefined) {
      const state = procState(this.pid)
      if (state === undefined || wanted(state)) return
      if (Date.now() > deadline) throw new TimeoutError(`${this.name} (pid ${this.pid}) not ${label} after ${timeoutMs} ms (state ${state})`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  private onLine(line: string): void {
    this.recentLines.push(line)
    if (this.recentLines.length > RECENT_LINES_MAX) this.recentLines.splice(0, this.recentLines.length - RECENT_LINES_MAX)
    for (const waiter of [...this.lineWaiters]) waiter(line)
  }

  private failureContext(): {hint: string; process: string; pid: number | undefined; logFile?: string; tail: string[]} {
    const hint = this.logFile === undefined ? 'see the tail of its output' : `full output in ${this.logFile}`
    return {hint, process: this.name, pid: this.pid, logFile: this.logFile, tail: this.tail()}
  }
}

export class ProcessSupervisor {
  private readonly processes = new Map<string, ManagedProcess>()

  constructor() {
    installReaper()
  }

  /**
   * Starts `cmd` as a non-detached child (same process group as the orchestrator, so a terminal Ctrl-C
   * reaches it too). A name may be reused once its previous process has exited (restart).
   */
  spawn(name: string, cmd: string, args: readonly string[], options: SpawnOptions = {}): ManagedProcess {
    const previous = this.processes.get(name)
    if (previous?.running) throw new RunBrokenError(`process '${name}' is already running (pid ${previous.pid})`)
    // The last stdio is the child's lifeline: it reads end-of-file when this process dies, however it dies.
    const stdio: StdioOptions = options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc', 'pipe'] : ['ignore', 'pipe', 'pipe', 'pipe']
    const child = spawnChild(cmd, args, {
      cwd: options.cwd,
      env: {...(options.env ?? process.env), [LIFELINE_ENV]: String(stdio.length - 1)},
      detached: false,
      stdio,
    })
    ;(child.stdio[stdio.length - 1] as Socket | null)?.unref()
    const managed = new ManagedProcess(name, child, options.logFile)
    const pidFile = options.pidFile
    if (pidFile !== undefined && child.pid !== undefined) {
      writePidFile(pidFile, name, child.pid)
      void managed.exited.then(() => removePidFile(pidFile))
    }
    this.processes.set(name, managed)
    return managed
  }

  get(name: string): ManagedProcess | undefined {
    return this.processes.get(name)
  }

  list(): ManagedProcess[] {
    return [...this.processes.values()]
  }

  /** Stops every running child in parallel; resolves when all are gone. */
  async stopAll(gracefulMs = 10_000): Promise<void> {
    await Promise.all(this.list().map((p) => p.stop(gracefulMs)))
  }
}

const afterReap: Array<() => void> = []

/**
 * Runs `fn` (synchronously) each time the children are reaped on exit, Ctrl-C or a crash, after the
 * SIGKILLs: what a child left behind that outlives it (a FUSE mount) is cleared here.
 */
export function onReap(fn: () => void): void {
  installReaper()
  afterReap.push(fn)
}

/** SIGKILLs every live child of every supervisor, synchronously: usable from 'exit' handlers. */
export function reapAllSync(): void {
  for (const p of liveProcesses) p.kill('SIGKILL')
  for (const fn of afterReap) {
    try {
      fn()
    } catch {
      // best effort: the process is going away
    }
  }
}

function installReaper(): void {
  if (reaperInstalled) return
  reaperInstalled = true
  process.on('exit', reapAllSync)
  // The monitor variant observes a crash without swallowing it: Node still prints and exits non-zero.
  process.on('uncaughtExceptionMonitor', reapAllSync)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      reapAllSync()
      // Listening for a signal disables Node's default "exit"; if nobody else handles it, restore that.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal)
        process.kill(process.pid, signal)
      }
    }
    process.on(signal, onSignal)
  }
}

/** Single-letter state from /proc/<pid>/stat (R, S, D, T, Z…), undefined without /proc. */
function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
  } catch {
    return undefined
  }
}

function openLog(logFile: string): WriteStream {
  mkdirSync(dirname(logFile), {recursive: true})
  const stream = createWriteStream(logFile, {flags: 'a'})
  // A log that cannot be written must not crash the orchestrator; readiness errors still carry the tail.
  stream.on('error', () => undefined)
  return stream
}

function describeExit(info: ExitInfo): string {
  if (info.error !== undefined) return `failed to start: ${info.error.message}`
  return info.signal !== null ? `signal ${info.signal}` : `code ${info.code}`
}
