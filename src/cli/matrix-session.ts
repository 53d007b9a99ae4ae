/**
 * `mqbench matrix` once its flags are parsed: gates parsed first (a typo is exit 2 before minutes of
 * load), the matrix run with Ctrl-C kept (finished cells survive), then result.json, report.html, the
 * table, JUnit and the exit code: 1 when a verdict or threshold failed, 3 when a cell broke, else 0.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ConfigError, ExitCode} from '../errors.js'
import {matrixCells} from '../matrix/cells.js'
import {writeMatrixHtml} from '../matrix/matrix-html.js'
import {evaluateCellThresholds, parseCellThreshold, renderMatrix, writeMatrixJUnit} from '../matrix/matrix-report.js'
import type {MatrixResult, MatrixTarget} from '../matrix/matrix-result.js'
import {runMatrix} from '../matrix/matrix-run.js'
import {interruptSignal, useColor} from './run-presenter.js'

export interface MatrixFlags {
  target: 'embedded' | 'rocketmq' | 'both'
  client: 'mqbench' | 'java'
  budget: number
  seed?: number
  'max-p99': number
  'fault-rate': number
  cells?: string[]
  'broker-conf'?: string[]
  threshold?: string[]
  junit?: string
  out: string
}

export function parseBrokerConf(entries: string[] | undefined): Record<string, string> {
  const conf: Record<string, string> = {}
  for (const e of entries ?? []) {
    const m = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(e)
    if (!m) throw new ConfigError(`--broker-conf ${JSON.stringify(e)}: expected key=value with a broker.conf key, e.g. mqbenchBrokenMode=ack-before-fsync`)
    conf[m[1]!] = m[2]!
  }
  return conf
}

export async function matrixSession(flags: MatrixFlags, out: {json: boolean; log: (s: string) => void}): Promise<MatrixResult> {
  const gates = (flags.threshold ?? []).map(parseCellThreshold)
  const targets: MatrixTarget[] = flags.target === 'both' ? ['embedded', 'rocketmq'] : [flags.target]
  const cells = matrixCells(targets, flags.cells?.flatMap((c) => c.split(',')).filter(Boolean))
  const masterConf = parseBrokerConf(flags['broker-conf'])
  const interrupt = interruptSignal()
  let result: MatrixResult
  try {
    result = await runMatrix({
      cells, outDir: flags.out, budgetMs: flags.budget, seed: flags.seed ?? (Date.now() % 2 ** 31), client: flags.client, maxP99Ms: flags['max-p99'],
      faultRate: flags['fault-rate'], masterConf, signal: interrupt.signal, log: (l) => out.json || process.stderr.write(`[matrix] ${l}\n`),
    })
  } finally {
    interrupt.dispose()
  }
  result.thresholds = evaluateCellThresholds(gates, result)
  writeFileSync(join(result.dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`)
  writeMatrixHtml(result)
  if (flags.junit) writeMatrixJUnit(flags.junit, result)
  if (!out.json) out.log(renderMatrix(result, useColor(process.stdout)))
  const failed = result.cells.some((c) => c.powerCut.verdict === 'FAIL' || c.diskLoss.verdict === 'FAIL') || result.thresholds.some((t) => !t.pass)
  if (failed) process.exitCode = ExitCode.failed
  else if (result.status === 'interrupted' || result.cells.some((c) => c.status === 'broken')) process.exitCode = ExitCode.runBroke
  return result
}
