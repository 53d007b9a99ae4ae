/**
 * Worker processes for integration tests that drive workers directly (not through `mqbench run`):
 * spawned like the runner does, registered for the afterAll kill, stderr shown when one fails.
 */
import {spawn} from 'node:child_process'
import {WorkerHandle, workerSpawnArgs} from '../../src/workload/worker-handle.js'

export function spawnWorker(name: string, registry: WorkerHandle[]): WorkerHandle {
  const child = spawn(process.execPath, workerSpawnArgs(), {stdio: ['ignore', 'ignore', 'pipe', 'ipc']})
  const stderr: string[] = []
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()))
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL' && stderr.length > 0) console.error(`[${name}] ${stderr.join('')}`)
  })
  const h = new WorkerHandle(child, name)
  registry.push(h)
  return h
}

/** SIGKILLs every registered worker still running. */
export function killWorkers(registry: readonly WorkerHandle[]): void {
  for (const w of registry) if (w.child.exitCode === null && w.child.signalCode === null) w.kill()
}
