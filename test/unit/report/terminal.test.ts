import {describe, expect, it} from 'vitest'
import {renderReport} from '../../../src/report/terminal.js'
import {sampleRunResult} from './run-result.fixture.js'

const ANSI = /\x1b\[[0-9;]*m/

/** The table row whose first cell is `label`, split into trimmed cells. */
function row(text: string, label: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith('│') && l.split('│')[1]?.trim() === label)
  if (line === undefined) throw new Error(`no row "${label}" in:\n${text}`)
  return line.split('│').slice(1, -1).map((c) => c.trim())
}

describe('renderReport', () => {
  const plain = renderReport(sampleRunResult(), {color: false})

  it('has every section, in order', () => {
    const titles = ['Setup', 'Throughput (msg/s, load window)', 'Latency (load window, warm-up excluded)',
      'SendStatus and errors (load window, warm-up excluded)', 'Audit: INVALID (every message, warm-up included)', 'Replication: DIFFERENT',
      'Faults (seconds since load start)', 'Verdict: FAIL']
    const at = titles.map((t) => plain.split('\n').indexOf(t))
    expect(at.every((i) => i >= 0), plain).toBe(true)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
  })

  it('shows the setup, including each cluster node', () => {
    expect(row(plain, 'scenario')[1]).toBe('power-loss — power cut of the master under load')
    expect(row(plain, 'rate')[1]).toBe('5,000 msg/s')
    expect(row(plain, 'duration')[1]).toBe('30.00s')
    expect(row(plain, 'message size')[1]).toBe('1.0KiB')
    expect(row(plain, 'producers')[1]).toBe('2')
    expect(row(plain, 'send mode')[1]).toBe('async')
    expect(row(plain, 'broker-a-master')).toEqual(['broker-a-master', 'SYNC_MASTER', 'ASYNC_FLUSH', '127.0.0.1:10911'])
    expect(row(plain, 'broker-a-slave')).toEqual(['broker-a-slave', 'SLAVE', 'ASYNC_FLUSH', '127.0.0.1:10921'])
  })

  it('shows throughput', () => {
    expect(row(plain, '5,000')).toEqual(['5,000', '4,987', '4,951', '149,617', '149,500', '30.0s'])
  })

  it('shows latency percentiles per series and per SendStatus present', () => {
    expect(row(plain, 'send (intended→ack)')).toEqual(['send (intended→ack)', '149,617', '1.23', '2.47', '4.94', '9.87', '12.3', '813'])
    expect(row(plain, 'service (send→ack)')).toEqual(['service (send→ack)', '149,617', '0.456', '0.912', '1.82', '3.65', '4.56', '790'])
    expect(row(plain, 'e2e (born→consumed, 1 ms ticks)')[7]).toBe('1,500')
    expect(row(plain, 'send FLUSH_SLAVE_TIMEOUT')).toEqual(['send FLUSH_SLAVE_TIMEOUT', '17', '45.6', '91.2', '182', '365', '456', '813'])
    expect(plain).not.toContain('send FLUSH_DISK_TIMEOUT')
  })

  it('shows SendStatus counts, errors by kind, retries and dropped', () => {
    expect(row(plain, 'SEND_OK')).toEqual(['SEND_OK', '149,500', '99.92%'])
    expect(row(plain, 'FLUSH_SLAVE_TIMEOUT')).toEqual(['FLUSH_SLAVE_TIMEOUT', '17', '0.01%'])
    expect(row(plain, 'SLAVE_NOT_AVAILABLE')[1]).toBe('0')
    expect(row(plain, 'error: timeout')[1]).toBe('58')
    expect(row(plain, 'error: connection')[1]).toBe('41')
    expect(row(plain, 'error: broker SYSTEM_BUSY')).toEqual(['error: broker SYSTEM_BUSY', '1', '<0.01%'])
    expect(row(plain, 'errors total')[1]).toBe('100')
    expect(row(plain, 'retries')[1]).toBe('7')
    expect(row(plain, 'dropped (not sent in time)')[1]).toBe('3')
  })

  it('shows every audit class, with sample ids only for non-zero problem classes', () => {
    for (const [cls, n] of [['attempted', '149,617'], ['ok', '149,491'], ['lost', '2'], ['duplicated', '7'], ['recovered', '27'],
      ['unexpected', '0'], ['corrupt', '0'], ['missingUnconfirmed', '90'], ['deliveries', '149,527']]) {
      expect(row(plain, cls!)[1]).toBe(n)
    }
    expect(row(plain, 'lost')[3]).toBe('0:1041, 1:1043')
    expect(row(plain, 'recovered')[3]).toBe('1:77')
    expect(row(plain, 'ok')[3]).toBe('')
  })

  it('shows replication, faults and each verdict check', () => {
    expect(row(plain, 'master CommitLog')).toEqual(['master CommitLog', 'aaaaaaaaaaaaaaaa', '150,000,000'])
    expect(row(plain, '10.0s')).toEqual(['10.0s', 'power-loss', 'broker-a-master', '15.5s'])
    expect(row(plain, 'no-acked-loss')).toEqual(['no-acked-loss', 'SYNC_MASTER: no SEND_OK message lost', '2 of 149,500 acked messages lost', 'FAIL'])
    expect(plain).toContain('lost: 0:1041, 1:1043')
    expect(row(plain, 'no-corruption')[3]).toBe('PASS')
  })

  it('leaves out replication and faults when the run had none, and says PASS when it passed', () => {
    const r = sampleRunResult()
    delete r.replication
    r.faults = []
    r.verdict = {pass: true, checks: [{name: 'no-loss', promise: 'no SEND_OK message lost', observed: '0 lost', pass: true}]}
    const text = renderReport(r, {color: false})
    expect(text).not.toContain('Replication')
    expect(text).not.toContain('Faults')
    expect(text).toContain('Verdict: PASS')
  })

  it('has no ANSI codes without colour, and colours PASS green and FAIL red with colour', () => {
    expect(plain).not.toMatch(ANSI)
    const coloured = renderReport(sampleRunResult(), {color: true})
    expect(coloured).toMatch(ANSI)
    expect(coloured).toContain('\x1b[32m\x1b[1mPASS')
    expect(coloured).toContain('\x1b[31m\x1b[1mFAIL')
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain)
  })

  it('keeps long sample lists and verdict text inside a bounded width', () => {
    const r = sampleRunResult()
    r.audit.samples.duplicated = Array.from({length: 20}, (_, i) => `12:${1_000_000 + i}`)
    r.verdict.checks[0]!.observed = 'x '.repeat(100)
    const text = renderReport(r, {color: false})
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThanOrEqual(160)
    expect(text).toContain('12:1000009')
    expect(text).not.toContain('12:1000010')
  })
})

describe('renderReport on a run that broke before any load', () => {
  it('renders zeros and dashes instead of throwing or printing NaN', () => {
    const r = sampleRunResult()
    const zero = {count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, p9999: 0, max: 0}
    r.status = 'broken'
    r.config = {}
    r.cluster = []
    r.throughput = {sendTps: 0, consumeTps: 0, attempted: 0, acked: 0, durationS: 0, targetRate: 0}
    r.latency = {send: zero, sendService: zero, e2e: zero, byStatus: {}}
    r.sendStatus = {SEND_OK: 0, FLUSH_DISK_TIMEOUT: 0, FLUSH_SLAVE_TIMEOUT: 0, SLAVE_NOT_AVAILABLE: 0}
    r.errors = {total: 0, timeout: 0, connection: 0, broker: {}, retries: 0, dropped: 0}
    r.audit = {attempted: 0, acked: 0, delivered: 0, ok: 0, lost: 0, duplicated: 0, recovered: 0, unexpected: 0, corrupt: 0,
      missingUnconfirmed: 0, deliveries: 0, valid: 'unknown', samples: {}}
    r.verdict = {pass: false, checks: []}
    const text = renderReport(r, {color: false})
    expect(text).not.toMatch(/NaN|undefined|Infinity/)
    expect(row(text, 'status')[1]).toBe('broken')
    expect(row(text, 'rate')[1]).toBe('as fast as possible')
    expect(row(text, 'producers')[1]).toBe('-')
    expect(row(text, 'send (intended→ack)')).toEqual(['send (intended→ack)', '0', '-', '-', '-', '-', '-', '-'])
    expect(row(text, 'SEND_OK')).toEqual(['SEND_OK', '0', '-'])
    expect(text).toContain('Audit: unknown (checker could not decide)')
    expect(text).toContain('(no checks)')
  })
})
