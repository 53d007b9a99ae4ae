/**
 * `mqbench run <scenario> --rate max`: the sustainable-rate search with one progress line per step,
 * then its summary. Ctrl-C stops after the step in flight; what was found so far is reported.
 */
import {interruptSignal} from './run-presenter.js'
import {searchMaxRate, type RateSearchResult, type RateStep} from '../matrix/rate-search.js'
import type {Scenario} from '../scenario/schema.js'
import {formatMs} from '../report/terminal-format.js'

export interface RateSearchFlags {
  out: string
  'max-p99': number
  budget: number
}

export function describeStep(s: RateStep): string {
  const p99 = s.latency ? `p99 ${formatMs(s.latency.p99)}` : 'no latency'
  return `${s.rate}/s: ${s.held ? 'held' : `failed (${s.reason})`}, ${p99}, ${(s.elapsedMs / 1000).toFixed(1)} s`
}

export function renderRateSearch(r: RateSearchResult): string {
  const lines = [`max sustainable rate: ${r.maxRate} msg/s (send p99 bound ${r.maxP99Ms} ms; ${r.steps.length} step(s), stopped: ${r.stoppedBy}, ${(r.elapsedMs / 1000).toFixed(1)} s)`]
  if (r.latency) lines.push(`latency at ${r.maxRate}/s: p50 ${formatMs(r.latency.p50)}  p99 ${formatMs(r.latency.p99)}  p99.9 ${formatMs(r.latency.p999)}`)
  return lines.join('\n')
}

export async function rateSearchSession(scenario: Scenario, scenarioFile: string, flags: RateSearchFlags, out: {json: boolean; log: (s: string) => void}): Promise<RateSearchResult> {
  const interrupt = interruptSignal()
  try {
    const result = await searchMaxRate({
      scenario, scenarioFile, outDir: flags.out, maxP99Ms: flags['max-p99'], budgetMs: flags.budget, signal: interrupt.signal,
      onStep: (s) => out.json || process.stderr.write(`[rate] ${describeStep(s)}\n`),
    })
    if (!out.json) out.log(renderRateSearch(result))
    return result
  } finally {
    interrupt.dispose()
  }
}
