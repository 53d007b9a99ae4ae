/**
 * A child's way to notice that its orchestrator died, even by SIGKILL (which runs no cleanup): the
 * supervisor (src/process/process-supervisor.ts) hands every child the read end of a pipe whose only
 * writer is the orchestrator, and names its fd in MQBENCH_LIFELINE_FD. Nothing is ever written; when
 * the orchestrator dies the kernel closes the write end and the child reads end-of-file.
 * A process started by hand (`mqbench broker start`) has no lifeline and never stops on its own.
 */
import net from 'node:net'
import {LIFELINE_ENV} from '../process/lifeline.js'

export {LIFELINE_ENV}

/** Calls `onDeath` once when the parent's end of the lifeline closes; a no-op without a lifeline. */
export function onParentDeath(onDeath: () => void): void {
  const fd = Number(process.env[LIFELINE_ENV])
  if (!Number.isInteger(fd) || fd < 3) return
  let line: net.Socket
  try {
    line = new net.Socket({fd, readable: true, writable: false})
  } catch {
    return
  }
  let fired = false
  const fire = (): void => {
    if (fired) return
    fired = true
    onDeath()
  }
  line.on('data', () => undefined)
  line.on('end', fire)
  line.on('close', fire)
  line.on('error', fire)
  // The lifeline must never be what keeps a finished process alive.
  line.unref()
}
