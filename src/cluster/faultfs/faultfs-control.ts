/**
 * The client side of faultfs's control socket: one command line out, one JSON line back (the
 * protocol is listed in faultfs/control.go). What the helper reports, typed.
 */
import {createConnection} from 'node:net'
import {RunBrokenError} from '../../errors.js'

export interface FaultFsStats {
  dirtyBytes: number
  dirtyFiles: number
  pendingMetaOps: number
  fsyncs: number
  fsyncsPerSec: number
  faults: string[]
}

/** What one power cut dropped: the report says "the cut dropped 3.1 MiB of unsynced data". */
export interface FaultFsCutReport {
  droppedBytes: number
  droppedFiles: number
  keptBytes: number
  undoneMetaOps: number
  fsyncs: number
  fsyncsPerSec: number
  torn: boolean
  seed: number
}

interface Reply {
  ok: boolean
  error?: string
  stats?: FaultFsStats
  cut?: FaultFsCutReport
}

const CONTROL_TIMEOUT_MS = 10_000

/** Sends one command; a refusal ({ok:false}) or a silent helper is a RunBrokenError. */
export function controlCommand(socketPath: string, line: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(socketPath)
    let buf = ''
    const fail = (why: string): void => {
      sock.destroy()
      reject(new RunBrokenError(`faultfs control ${socketPath}: '${line}': ${why}`))
    }
    sock.setTimeout(CONTROL_TIMEOUT_MS, () => fail(`no answer within ${CONTROL_TIMEOUT_MS} ms`))
    sock.on('error', (err) => fail(err.message))
    sock.on('connect', () => sock.write(`${line}\n`))
    sock.setEncoding('utf8')
    sock.on('data', (chunk: string) => {
      buf += chunk
      const nl = buf.indexOf('\n')
      if (nl < 0) return
      sock.end()
      const reply = JSON.parse(buf.slice(0, nl)) as Reply
      if (!reply.ok) fail(reply.error ?? 'refused')
      else resolve(reply)
    })
  })
}
