/**
 * Worker process entry. The orchestrator spawns it with an IPC channel
 * (`spawn(process.execPath, ['dist/src/workload/worker-main.js'], {stdio: ['ignore', 'pipe', 'pipe', 'ipc']})`),
 * sends `start`, later `stop`, and receives ready / tick / done / error (worker-messages.ts).
 *
 * A worker never outlives its orchestrator: when the IPC channel closes (the orchestrator died or
 * disconnected) it stops at once, makes its ledger durable and exits.
 */
import {monitorEventLoopDelay} from 'node:perf_hooks'

import {toMqbenchError} from '../errors.js'
import {initHistograms} from '../metrics/index.js'
import {ConsumerWorker} from './consumer-worker.js'
import {ProducerWorker} from './producer-worker.js'
import {isOrchestratorMessage, type WorkerConfig, type WorkerMessage} from './worker-messages.js'

// After the orchestrator is gone, outstanding sends get this long to settle before the process exits anyway.
const ORPHAN_EXIT_GRACE_MS = 2000

let worker: ProducerWorker | ConsumerWorker | undefined
let workerId = -1
let finished = false
let resolveBegin: ((startAtMs: number | undefined) => void) | undefined
const begun = new Promise<number | undefined>((resolve) => (resolveBegin = resolve))

function emit(m: WorkerMessage): void {
  if (process.connected) process.send!(m)
}

function fail(err: unknown): void {
  const e = toMqbenchError(err)
  if (process.connected) {
    process.send!({type: 'error', workerId, code: e.code, message: e.message} satisfies WorkerMessage, () => process.exit(1))
  } else {
    process.exit(1)
  }
}

async function runWorker(config: WorkerConfig): Promise<void> {
  workerId = config.workerId
  await initHistograms()
  const w = config.role === 'producer' ? new ProducerWorker(config, {emit}) : new ConsumerWorker(config, {emit})
  worker = w
  await w.start()
  const loopDelay = monitorEventLoopDelay({resolution: 10})
  loopDelay.enable()
  emit({type: 'ready', role: config.role, workerId, pid: process.pid})
  const done = w instanceof ProducerWorker ? await w.run(config.role === 'producer' && config.awaitBegin ? await begun : undefined) : await w.run()
  finished = true
  loopDelay.disable()
  done.eventLoopDelayMaxMs = Math.round(loopDelay.max / 1e4) / 100
  done.eventLoopDelayP99Ms = Math.round(loopDelay.percentile(99) / 1e4) / 100
  if (process.connected) process.send!(done, () => process.exit(0))
  else process.exit(0)
}

function stopWorker(): void {
  resolveBegin?.(undefined) // a producer still waiting for begin runs nothing and reports done
  const w = worker
  if (w === undefined) return
  if (w instanceof ProducerWorker) w.stop()
  else void w.stop().catch(fail)
}

if (!process.send) {
  console.error('worker-main must be spawned with an IPC channel (stdio[3] = "ipc")')
  process.exit(2)
}

process.on('message', (m: unknown) => {
  if (!isOrchestratorMessage(m)) return
  if (m.type === 'start') {
    if (worker !== undefined) return
    runWorker(m.config).catch(fail)
  } else if (m.type === 'begin') {
    resolveBegin?.(m.startAtMs)
  } else {
    stopWorker()
  }
})

process.on('disconnect', () => {
  if (finished) return
  stopWorker()
  // run() closes the ledger and exits on its own; this is the bound if a send or pull hangs.
  setTimeout(() => process.exit(1), ORPHAN_EXIT_GRACE_MS).unref()
  if (worker === undefined) process.exit(1)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopWorker()
    setTimeout(() => process.exit(1), ORPHAN_EXIT_GRACE_MS).unref()
  })
}
