/** Ctrl-C for a run: the abort signal ends a phase at once instead of at the phase's own deadline. */
import {RunBrokenError} from '../errors.js'

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RunBrokenError('interrupted', {hint: 'the partial result is in the run directory'})
}

/** Rejects as soon as the signal aborts, so Ctrl-C never waits for a phase's own deadline. */
export async function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p
  throwIfAborted(signal)
  let onAbort: (() => void) | undefined
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        onAbort = () => reject(new RunBrokenError('interrupted'))
        signal.addEventListener('abort', onAbort, {once: true})
      }),
    ])
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort)
  }
}
