/**
 * The orchestrator's side of one worker process: typed send/receive over the IPC channel, the ticks
 * collected as they arrive, and promises for `ready` and `done`. Spawning (and reaping) stays with the
 * caller — the runner registers the child with its ProcessSupervisor — so this file only needs the
 * ChildProcess. workerSpawnArgs() says what to spawn, compiled or from source.
 */
import type {ChildProcess} from 'node:child_process'
import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {RunBrokenError, TimeoutError} from '../errors.js'
import {
  isWorkerMessage, type DoneMessage, type OrchestratorMessage, type ReadyMessage, type TickMessage, type WorkerConfig, type WorkerMessage,
} from './worker-messages.js'

/**
 * `spawn(process.execPath, workerSpawnArgs(), {stdio: ['ignore', 'pipe', 'pipe', 'ipc']})`. Compiled
 * (dist/src/workload): the .js entry. From source (tests under vitest/tsx): the .ts entry through tsx.
 */
export function workerSpawnArgs(): string[] {
  const here = dirname(fileURLToPath(import.meta.url))
  const js = join(here, 'worker-main.js')
  if (existsSync(js)) return [js]
  return ['--import', 'tsx', join(here, 'worker-main.ts')]
}

export class WorkerHandle {
  readonly ticks: TickMessage[] = []
  readonly ready: Promise<ReadyMessage>
  /** Resolves with the final message; rejects on an `error` message or an exit without `done`. */
  readonly done: Promise<DoneMessage>
  private onTick: ((t: TickMessage) => void) | undefined

  constructor(readonly child: ChildProcess, readonly name: string) {
    let resolveReady!: (m: ReadyMessage) => void
    let rejectReady!: (e: Error) => void
    let resolveDone!: (m: DoneMessage) => void
    let rejectDone!: (e: Error) => void
    this.ready = new Promise((res, rej) => ((resolveReady = res), (rejectReady = rej)))
    this.done = new Promise((res, rej) => ((resolveDone = res), (rejectDone = rej)))
    // Callers may await only one of them; an unobserved rejection must not crash the orchestrator.
    this.ready.catch(() => undefined)
    this.done.catch(() => undefined)
    child.on('message', (m: unknown) => {
      if (!isWorkerMessage(m)) return
      this.handle(m, resolveReady, resolveDone, (e) => {
        rejectReady(e)
        rejectDone(e)
      })
    })
    child.once('exit', (code, signal) => {
      const e = new RunBrokenError(`worker ${name} exited (code ${code}, signal ${signal}) before reporting done`, {worker: name})
      rejectReady(e)
      rejectDone(e)
    })
  }

  start(config: WorkerConfig): void {
    this.post({type: 'start', config})
  }

  /** For producers started with awaitBegin: slot 0 of the schedule is at startAtMs (epoch ms). */
  begin(startAtMs: number): void {
    this.post({type: 'begin', startAtMs})
  }

  stop(): void {
    this.post({type: 'stop'})
  }

  /** Called for every tick as it arrives (they are also kept in `ticks`). */
  tick(cb: (t: TickMessage) => void): void {
    this.onTick = cb
  }

  /** Waits for `done` at most timeoutMs. */
  async waitDone(timeoutMs: number): Promise<DoneMessage> {
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, rej) => {
      timer = setTimeout(() => rej(new TimeoutError(`worker ${this.name} did not report done within ${timeoutMs} ms`, {worker: this.name})), timeoutMs)
    })
    try {
      return await Promise.race([this.done, deadline])
    } finally {
      clearTimeout(timer)
    }
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal)
  }

  private post(m: OrchestratorMessage): void {
    if (this.child.connected) this.child.send(m)
  }

  private handle(m: WorkerMessage, ready: (m: ReadyMessage) => void, done: (m: DoneMessage) => void, fail: (e: Error) => void): void {
    switch (m.type) {
      case 'ready':
        ready(m)
        break
      case 'tick':
        this.ticks.push(m)
        this.onTick?.(m)
        break
      case 'done':
        done(m)
        break
      case 'error':
        fail(new RunBrokenError(`worker ${this.name} failed: ${m.code}: ${m.message}`, {worker: this.name, workerCode: m.code}))
        break
    }
  }
}
