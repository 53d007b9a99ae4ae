/**
 * The oneway-loss scenario through the real CLI: oneway sends across a 2 s kill -9 of the master.
 * No SEND_OK is ever promised, so nothing counts as lost, yet a share of the messages the producer
 * started is stored nowhere (missingUnconfirmed) — the loss oneway accepts silently.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ensureBuilt, readOnlyResult, removeDir, runCli, stopRunningClis, tempDir} from '../../helpers/cli.js'

let work: string
beforeAll(() => {
  ensureBuilt()
  work = tempDir('oneway-loss')
})
afterAll(async () => {
  await stopRunningClis()
  removeDir(work)
})

describe('oneway-loss', () => {
  it('a broker kill under oneway sends leaves started messages stored nowhere, none of them acked', async () => {
    const r = await runCli(['run', 'oneway-loss', '--duration', '8s', '--seed', '5', '--out', work, '--json'], {timeoutMs: 150_000})
    const result = readOnlyResult(work)
    const a = result.audit
    console.log(`[oneway-loss] exit ${r.exitCode}: attempted ${a.attempted}, stored ${a.recovered}, missing ${a.missingUnconfirmed}, ` +
      `connection errors ${result.errors.connection}, faults ${JSON.stringify(result.faults)}`)
    expect(result.status).toBe('completed')
    expect(result.faults.map((f) => f.action)).toEqual(['kill'])
    expect(a.acked).toBe(0)
    expect(a.lost).toBe(0)
    expect(a.missingUnconfirmed).toBeGreaterThan(0)
    expect(a.recovered).toBeGreaterThan(a.missingUnconfirmed)
  }, 180_000)
})
