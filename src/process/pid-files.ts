/**
 * Pid files, so a run can reap what an earlier, SIGKILLed orchestrator left behind. Children watch
 * their orchestrator through a lifeline (src/broker/parent-lifeline.ts), but a JVM (real RocketMQ)
 * cannot, and a child wedged in a syscall may not get to exit. Each spawned child gets
 * <runDir>/pids/<name>.pid naming itself and its orchestrator, each with its start time (field 22 of
 * /proc/<pid>/stat) so a reused pid is never mistaken for ours. The next run under the same --out
 * kills every child whose orchestrator is gone.
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

export interface PidRecord {
  name: string
  pid: number
  startTicks: string
  parentPid: number
  parentStartTicks: string
}

export const PID_DIR = 'pids'

/** Start time of a live process in clock ticks since boot; undefined when it is gone (or no /proc). */
export function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}

export function writePidFile(file: string, name: string, pid: number): void {
  const record: PidRecord = {name, pid, startTicks: startTicks(pid) ?? '', parentPid: process.pid, parentStartTicks: startTicks(process.pid) ?? ''}
  try {
    mkdirSync(join(file, '..'), {recursive: true})
    writeFileSync(file, JSON.stringify(record) + '\n')
  } catch {
    // Best effort: the lifeline still covers Node children.
  }
}

export function removePidFile(file: string): void {
  rmSync(file, {force: true})
}

function alive(pid: number, ticks: string): boolean {
  return ticks !== '' && startTicks(pid) === ticks
}

/** Pid files under <outDir>/<run>/pids and <outDir>/<run>/<sub>/pids. */
function pidFiles(outDir: string): string[] {
  const out: string[] = []
  const scan = (dir: string, depth: number): void => {
    let entries
    try {
      entries = readdirSync(dir, {withFileTypes: true})
    } catch {
      return
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue
      const sub = join(dir, e.name)
      if (e.name === PID_DIR) out.push(...readdirSync(sub).filter((f) => f.endsWith('.pid')).map((f) => join(sub, f)))
      else if (depth > 0) scan(sub, depth - 1)
    }
  }
  if (existsSync(outDir)) scan(outDir, 2)
  return out
}

/** SIGKILLs every recorded child whose orchestrator is gone; returns what it killed ("name pid"). */
export function reapStaleChildren(outDir: string): string[] {
  const killed: string[] = []
  for (const file of pidFiles(outDir)) {
    let r: PidRecord
    try {
      r = JSON.parse(readFileSync(file, 'utf8')) as PidRecord
    } catch {
      continue
    }
    if (alive(r.parentPid, r.parentStartTicks)) continue
    if (alive(r.pid, r.startTicks)) {
      try {
        process.kill(r.pid, 'SIGKILL')
        killed.push(`${r.name} ${r.pid}`)
      } catch {
        // already gone
      }
    }
    removePidFile(file)
  }
  return killed
}
