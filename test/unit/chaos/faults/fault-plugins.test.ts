/**
 * Every registered fault plugin: its parameters (defaults, scenario units, and the errors a bad
 * scenario gets), its one-line describe(), and its scenario-level validate() preconditions.
 */
import {describe, expect, it} from 'vitest'
import {FAULT_ACTIONS, faultAction} from '../../../../src/chaos/faults/index.js'
import {broker, brokerTarget} from './fake-context.js'

/** type → [params as written, parsed output, describe('master', parsed) must match]. */
const VALID: Record<string, [unknown, unknown, RegExp]> = {
  'kill': [{}, {}, /^SIGKILL master, restart it at heal/],
  'pause': [{}, {}, /^SIGSTOP master, SIGCONT at heal$/],
  'restart': [{}, {}, /^graceful restart of master$/],
  'power-loss': [{}, {torn: false}, /^power cut on master/],
  'disk-loss': [{}, {restoreFrom: 'replica'}, /delete its store; at heal rebuild it from a live replica$/],
  'disk-eio': [{op: 'fsync'}, {op: 'fsync', files: 'commitlog'}, /^fsyncs fail with EIO on master's CommitLog until heal$/],
  'disk-full': [{size: '32MiB', resumeWithin: '2s'}, {size: 32 << 20, resumeWithin: 2000}, /onto a 32 MiB loop-mounted ext4 image and fill it/],
  'slow-fsync': [{delay: '1s', jitter: '100ms'}, {delay: 1000, jitter: 100, files: 'commitlog'}, /^every fsync on master takes 1000 ms ± 100 ms more until heal$/],
  'fsync-lie': [{}, {powerLossAtHeal: true, files: 'commitlog'}, /without persisting; a power cut and restart at heal$/],
  'torn-write': [{files: 'all'}, {files: 'all'}, /land a random prefix and fail with EIO/],
  'latency': [{delay: '50ms'}, {delay: 50, jitter: 0, link: 'client'}, /^\+50 ms per round trip on master's client link$/],
  'bandwidth': [{bytesPerSec: '64KiB'}, {bytesPerSec: 65536, link: 'client'}, /^65536 bytes\/s each way on master's client link$/],
  'drop': [{link: 'ha'}, {link: 'ha'}, /^reset every connection on master's ha link until heal$/],
  'blackhole': [{}, {link: 'client'}, /^accept and swallow everything on master's client link/],
  'partition': [{}, {link: 'ha'}, /^partition master's ha link until heal$/],
  'slow-close': [{delay: '2s'}, {delay: 2000, link: 'client'}, /^closes on master's client link arrive 2000 ms late$/],
}

/** type → [params as written, the issue text a scenario author gets]. */
const INVALID: [string, unknown, RegExp][] = [
  ['kill', {signal: 'SIGTERM'}, /Unrecognized key.*signal/],
  ['disk-loss', {restoreFrom: 'backup'}, /replica.*empty|Invalid enum/],
  ['disk-eio', {op: 'read'}, /Invalid enum value/],
  ['disk-eio', {files: 'index'}, /Invalid enum value/],
  ['disk-full', {size: '1MiB'}, /at least 16MiB/],
  ['disk-full', {size: 'huge'}, /size/],
  ['disk-full', {resumeWithin: '-1s'}, /resumeWithin|duration/],
  ['slow-fsync', {}, /delay: Required: a duration/],
  ['slow-fsync', {delay: 'soon'}, /delay/],
  ['slow-fsync', {delay: -5}, /delay: (expected a duration.*got -5|Number must be greater)/],
  ['slow-fsync', {delay: 200}, /delay: expected a duration with a unit like 200s or 200ms, got 200 \(a bare number has no unit\)/],
  ['slow-fsync', {delay: true}, /delay: expected a duration like "200ms" or "2s", got true/],
  ['fsync-lie', {powerLossAtHeal: 'yes'}, /Expected boolean/],
  ['latency', {delay: '10ms', link: 'namesrv'}, /Invalid enum value/],
  ['bandwidth', {bytesPerSec: 0}, /greater than 0|bytesPerSec/],
  ['bandwidth', {}, /bytesPerSec: Required: a rate/],
  ['slow-close', {delay: '1s', extra: 1}, /Unrecognized key.*extra/],
]

describe('fault plugin registry', () => {
  it('has one table row per registered type (a new fault needs its params tested here)', () => {
    expect(Object.keys(VALID).sort()).toEqual([...FAULT_ACTIONS.keys()].sort())
    expect(faultAction('no-such-fault')).toBeUndefined()
  })

  it.each(Object.entries(VALID))('%s: parses its params with defaults and describes itself in one line', (type, [raw, parsed, text]) => {
    const action = faultAction(type)!
    const r = action.params.safeParse(raw)
    expect(r.success, JSON.stringify(r.error?.issues)).toBe(true)
    expect(r.data).toEqual(parsed)
    const line = action.describe('master', r.data)
    expect(line).toMatch(text)
    expect(line).not.toContain('\n')
  })

  it.each(INVALID)('%s rejects %j', (type, raw, message) => {
    const r = faultAction(type)!.params.safeParse(raw)
    expect(r.success).toBe(false)
    expect(r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).toMatch(message)
  })

  it('target kinds: only kill also acts on workers', () => {
    for (const [type, a] of FAULT_ACTIONS) expect(a.targetKinds, type).toEqual(type === 'kill' ? ['broker', 'worker'] : ['broker'])
  })
})

describe('validate: scenario preconditions, every problem at once', () => {
  const plain = [broker('broker-a-0', 0), broker('broker-b-0', 0)]
  const t = brokerTarget('broker-a-0', 'broker-b-0')

  it('disk faults over MQBENCH_FAULT need mqbenchFaultInjection on each target', () => {
    for (const type of ['disk-eio', 'slow-fsync', 'torn-write']) {
      const a = faultAction(type)!
      const p = a.params.parse(type === 'slow-fsync' ? {delay: '10ms'} : {})
      expect(a.validate(t, p, plain)).toEqual([
        `${type} on broker-a-0: expected broker conf mqbenchFaultInjection: true (the broker refuses fault requests otherwise)`,
        `${type} on broker-b-0: expected broker conf mqbenchFaultInjection: true (the broker refuses fault requests otherwise)`,
      ])
      expect(a.validate(t, p, plain.map((b) => ({...b, conf: {mqbenchFaultInjection: true}})))).toEqual([])
    }
  })

  it('fsync-lie with a power cut at heal also needs the volatile page cache; without it, only the admin switch', () => {
    const a = faultAction('fsync-lie')!
    const enabled = [broker('broker-a-0', 0, {mqbenchFaultInjection: 'true'})]
    expect(a.validate(brokerTarget('broker-a-0'), a.params.parse({}), enabled)).toEqual([
      'fsync-lie on broker-a-0: expected broker conf pageCacheMode: volatile or storeFs: faultfs (powerLossAtHeal needs a power cut)',
    ])
    expect(a.validate(brokerTarget('broker-a-0'), a.params.parse({powerLossAtHeal: false}), enabled)).toEqual([])
    expect(a.validate(brokerTarget('broker-a-0'), a.params.parse({}), [broker('broker-a-0', 0, {mqbenchFaultInjection: true, pageCacheMode: 'volatile'})])).toEqual([])
  })

  it('power-loss needs pageCacheMode volatile', () => {
    const a = faultAction('power-loss')!
    expect(a.validate(t, {}, plain)).toHaveLength(2)
    expect(a.validate(t, {}, plain.map((b) => ({...b, conf: {pageCacheMode: 'volatile'}})))).toEqual([])
  })

  it('network faults on the ha link need a master with a slave', () => {
    const withSlave = [broker('broker-a-0', 0), broker('broker-a-1', 1), broker('broker-b-0', 0)]
    for (const type of ['partition', 'latency', 'drop']) {
      const a = faultAction(type)!
      const p = a.params.parse(type === 'latency' ? {delay: '5ms', link: 'ha'} : {link: 'ha'})
      expect(a.validate(brokerTarget('broker-a-0', 'broker-b-0'), p, withSlave)).toEqual([`${type} on broker-b-0: link ha needs a master with a slave (broker-b-0 has no HA link)`])
      expect(a.validate(brokerTarget('broker-a-1'), p, withSlave)).toEqual([])
    }
    expect(faultAction('latency')!.validate(brokerTarget('broker-b-0'), {delay: 5, jitter: 0, link: 'client'}, withSlave)).toEqual([])
  })

  it('disk-full says why it cannot run here, or nothing (root with loop devices)', () => {
    const problems = faultAction('disk-full')!.validate(brokerTarget('broker-a-0'), {size: 64 << 20, resumeWithin: 5000}, plain)
    if (process.getuid?.() !== 0) expect(problems).toContain(`disk-full: needs root to attach loop devices and mount (running as uid ${process.getuid?.()})`)
    for (const p of problems) expect(p).toMatch(/^disk-full: (needs root|needs .* on PATH|no loop devices|no free loop device)/)
  })
})
