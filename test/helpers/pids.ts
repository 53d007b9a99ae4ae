import {readFileSync} from 'node:fs'

/** True while a process with this pid exists (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Alive and not a zombie (a reaped-later child of ours still has a pid). */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

/**
 * For afterAll, only when a test failed: SIGKILLs what it recorded (pid → command line). The command
 * line must still match, so a pid the system has since given to someone else's process is never touched.
 */
export function killLeftovers(leftovers: ReadonlyMap<number, string>): void {
  for (const [pid, cmd] of leftovers) {
    let now: string | undefined
    try {
      now = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
    } catch {
      continue
    }
    if (now !== cmd) continue
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}
