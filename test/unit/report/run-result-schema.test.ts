import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {runResultJsonSchema, runResultSchema} from '../../../src/report/run-result-schema.js'
import {sampleRunResult} from './run-result.fixture.js'
import {validate} from './mini-json-schema.js'

const SCHEMA_FILE = new URL('../../contract/run-result.schema.json', import.meta.url)
const committed = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>

describe('run-result.schema.json', () => {
  it('is what the RunResult schema generates (regenerate: see the failure message)', () => {
    expect(
      committed,
      'test/contract/run-result.schema.json is stale; regenerate with: npx tsx -e "import(\'./src/report/run-result-schema.js\').then(m => process.stdout.write(JSON.stringify(m.runResultJsonSchema(), null, 2) + \'\\n\'))" > test/contract/run-result.schema.json',
    ).toEqual(runResultJsonSchema())
  })

  it('accepts the fixture result, as JSON Schema and as the runtime schema', () => {
    const sample = JSON.parse(JSON.stringify(sampleRunResult()))
    expect(validate(committed, sample)).toEqual([])
    expect(runResultSchema.safeParse(sample).success).toBe(true)
  })

  it('accepts a minimal result: no replication, no faults, audit undecided', () => {
    const sample = sampleRunResult()
    delete sample.replication
    sample.faults = []
    sample.latency.byStatus = {}
    sample.audit.valid = 'unknown'
    expect(validate(committed, JSON.parse(JSON.stringify(sample)))).toEqual([])
  })

  const broken: Array<[string, (r: Record<string, any>) => void, string]> = [
    ['wrong schema version', (r) => { r.schema = 'mqbench.result/v2' }, '$.schema'],
    ['missing p99', (r) => { delete r.latency.send.p99 }, '$.latency.send.p99'],
    ['undeclared field', (r) => { r.throughput.bogus = 1 }, '$.throughput.bogus'],
    ['negative count', (r) => { r.audit.lost = -1 }, '$.audit.lost'],
    ['fractional count', (r) => { r.sendStatus.SEND_OK = 1.5 }, '$.sendStatus.SEND_OK'],
    ['unknown SendStatus', (r) => { r.latency.byStatus.SEND_MAYBE = r.latency.send }, 'SEND_MAYBE'],
    ['bad status', (r) => { r.status = 'fine' }, '$.status'],
    ['valid as string "true"', (r) => { r.audit.valid = 'true' }, '$.audit.valid'],
  ]
  it.each(broken)('rejects a result with %s (both schemas)', (_name, mutate, where) => {
    const sample = JSON.parse(JSON.stringify(sampleRunResult())) as Record<string, any>
    mutate(sample)
    const errors = validate(committed, sample)
    expect(errors.some((e) => e.includes(where))).toBe(true)
    expect(runResultSchema.safeParse(sample).success).toBe(false)
  })
})
