/**
 * JUnit XML so CI systems show mqbench's gates natively: one test case per verdict check, per
 * threshold and (with a baseline) per gated comparison figure. A failure carries observed vs
 * promised. A result whose run did not complete carries a failed run-completed check, so a CI job
 * re-rendering it (`mqbench report --format junit`) never reads "all green".
 */
import {writeFileSync} from 'node:fs'
import {describeRegression, type Comparison} from './compare.js'
import type {RunResult} from './run-result.js'
import {describeThreshold} from './thresholds.js'

interface Case {
  classname: string
  name: string
  failure?: {message: string; type: string; detail: string}
}

// XML 1.0 forbids most control characters even escaped; drop them.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

export function escapeXml(s: string): string {
  return s.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

function verdictCases(r: RunResult, prefix: string): Case[] {
  return r.verdict.checks.map((c) => ({
    classname: `${prefix}.verdict`,
    name: c.name,
    ...(c.pass ? {} : {failure: {
      type: 'verdict',
      message: `observed: ${c.observed}; promise: ${c.promise}`,
      detail: `promise: ${c.promise}\nobserved: ${c.observed}${c.lostSamples?.length ? `\nlost samples (producer:seq): ${c.lostSamples.join(', ')}` : ''}`,
    }}),
  }))
}

function thresholdCases(r: RunResult, prefix: string): Case[] {
  return (r.thresholds ?? []).map((t) => ({
    classname: `${prefix}.thresholds`,
    name: t.expression,
    ...(t.pass ? {} : {failure: {type: 'threshold', message: `${t.expression}: ${describeThreshold(t)}`, detail: `field: ${t.field}\n${describeThreshold(t)}`}}),
  }))
}

function comparisonCases(c: Comparison, prefix: string): Case[] {
  return c.rows.filter((row) => row.gate !== 'none').map((row) => ({
    classname: `${prefix}.baseline`,
    name: row.figure,
    ...(row.regression ? {failure: {
      type: 'regression',
      message: describeRegression(row),
      detail: `baseline ${c.baseline.runId}, limit ${row.gate === 'zero-tolerance' ? 'no increase' : `${c.maxRegressionPct}%`}\n${describeRegression(row)}`,
    }} : {}),
  }))
}

function renderCase(c: Case): string {
  const open = `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" time="0"`
  if (!c.failure) return `${open}/>`
  return `${open}>\n      <failure message="${escapeXml(c.failure.message)}" type="${c.failure.type}">${escapeXml(c.failure.detail)}</failure>\n    </testcase>`
}

export function toJUnitXml(result: RunResult, opts: {comparison?: Comparison} = {}): string {
  const prefix = `mqbench.${result.scenario.name}`
  const cases = [...verdictCases(result, prefix), ...thresholdCases(result, prefix), ...(opts.comparison ? comparisonCases(opts.comparison, prefix) : [])]
  const failures = cases.filter((c) => c.failure).length
  const time = ((Date.parse(result.endedAt) - Date.parse(result.startedAt)) / 1000 || 0).toFixed(3)
  const props = [['runId', result.runId], ['runDir', result.runDir], ['target', result.target], ['status', result.status], ['scenarioFile', result.scenario.file]]
    .map(([k, v]) => `      <property name="${k}" value="${escapeXml(v!)}"/>`).join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="mqbench" tests="${cases.length}" failures="${failures}" errors="0" time="${time}">
  <testsuite name="${escapeXml(prefix)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" timestamp="${escapeXml(result.startedAt.replace(/Z$/, ''))}" time="${time}">
    <properties>
${props}
    </properties>
${cases.map(renderCase).join('\n')}
  </testsuite>
</testsuites>
`
}

export function writeJUnit(path: string, result: RunResult, opts: {comparison?: Comparison} = {}): void {
  writeFileSync(path, toJUnitXml(result, opts))
}
