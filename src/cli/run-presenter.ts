/**
 * Draws a run for a human: phase lines and the live progress line on stderr (TTY only), the report
 * tables on stdout. Nothing here under --json.
 */
import {ProgressLine} from '../report/progress.js'
import {renderReport} from '../report/terminal.js'
import type {RunResult} from '../report/run-result.js'
import {RunEvents} from '../runner/run-events.js'

export function useColor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && process.env.NO_COLOR === undefined
}

export function attachPresenter(events: RunEvents, opts: {quiet: boolean}): () => void {
  if (opts.quiet) return () => undefined
  const progress = new ProgressLine(process.stderr)
  let lastPhase = ''
  events.on('phase', (phase, detail) => {
    progress.done()
    if (phase !== lastPhase) process.stderr.write(`[${phase}] ${detail}\n`)
    lastPhase = phase
  })
  // Faults held right now, for the progress line (inject adds, heal removes).
  const held: string[] = []
  events.on('fault', (f) => {
    const name = `${f.action} ${f.target}`
    if (f.kind === 'inject' && f.error === undefined) held.push(name)
    else if (f.kind === 'heal' && held.includes(name)) held.splice(held.indexOf(name), 1)
  })
  events.on('tick', (t) => progress.update({
    elapsedS: t.elapsedS, ...(t.durationS === undefined ? {} : {durationS: t.durationS}), sendTps: t.sendTps, consumeTps: t.consumeTps,
    p99Ms: t.sendP99Ms, errors: t.errors, phase: t.phase, faults: [...held],
  }))
  events.on('warning', (m) => {
    progress.done()
    process.stderr.write(`Warning: ${m}\n`)
  })
  events.on('note', (m) => {
    progress.done()
    process.stderr.write(`  ${m}\n`)
  })
  return () => progress.done()
}

/** $COLUMNS when set (a fixed width, as in CI logs and tests), else the terminal's own, else unlimited (a pipe). */
export function terminalWidth(stream: NodeJS.WriteStream): number | undefined {
  const fromEnv = Number(process.env.COLUMNS)
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
  return stream.isTTY ? stream.columns : undefined
}

export function renderForTerminal(result: RunResult): string {
  return renderReport(result, {color: useColor(process.stdout), width: terminalWidth(process.stdout)})
}

/** Ctrl-C aborts the run (children reaped, partial result written); a second Ctrl-C exits at once. */
export function interruptSignal(): {signal: AbortSignal; dispose: () => void} {
  const controller = new AbortController()
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(3)
    controller.abort()
  }
  process.on('SIGINT', onSigint)
  process.on('SIGTERM', onSigint)
  return {signal: controller.signal, dispose: () => {
    process.off('SIGINT', onSigint)
    process.off('SIGTERM', onSigint)
  }}
}
