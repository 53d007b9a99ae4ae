/**
 * One live status line on stderr while a run is under way. Only on a TTY: in CI logs or pipes a
 * redrawn line turns into thousands of lines of noise, and stdout stays reserved for results.
 */
import {formatMs, formatRate} from './terminal-format.js'

export interface ProgressUpdate {
  /** Seconds of the load phase (warm-up excluded) whose figures are complete. */
  elapsedS: number
  durationS?: number
  sendTps: number
  consumeTps?: number
  p99Ms: number
  errors: number
  phase: string
  /** Faults held right now, e.g. 'power-loss master'. */
  faults?: string[]
}

const CLEAR_TO_END = '\x1b[K'

export class ProgressLine {
  private drawn = false

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(p: ProgressUpdate): void {
    if (!this.stream.isTTY) return
    const eta = p.durationS === undefined ? '' : `/${p.durationS.toFixed(0)}s  ETA ${Math.max(0, p.durationS - p.elapsedS).toFixed(0)}s`
    const consume = p.consumeTps === undefined ? '' : `  consume ${formatRate(p.consumeTps)}/s`
    const fault = p.faults && p.faults.length > 0 ? `  fault: ${p.faults.join(', ')}` : ''
    let line = `[${p.phase}] ${p.elapsedS.toFixed(0)}s${eta}  send ${formatRate(p.sendTps)}/s${consume}  p99 ${formatMs(p.p99Ms)}ms  errors ${p.errors}${fault}`
    // A line wider than the terminal wraps, and \r then redraws only its last row.
    const columns = this.stream.columns
    if (columns !== undefined && columns > 1 && line.length >= columns) line = line.slice(0, columns - 1)
    this.stream.write(`\r${line}${CLEAR_TO_END}`)
    this.drawn = true
  }

  /** Erases the line so whatever is printed next starts on a clean row. */
  done(): void {
    if (!this.drawn) return
    this.stream.write(`\r${CLEAR_TO_END}`)
    this.drawn = false
  }
}
