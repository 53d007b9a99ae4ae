/**
 * A recovery that cut acked records must be named in the audit's loss evidence: every lost SEND_OK of
 * that broker at or past its queue's end after the cut, acked before the recovery, is "truncated by
 * recovery at <file>:<offset>"; a loss the cut does not explain is left unexplained.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {recoveryLosses, recoveryWarnings} from '../../../src/audit/recovery-losses.js'
import {SendOutcome, type ProducerLedgerEntry} from '../../../src/recorder/ledger/producer-ledger.js'
import type {DeliveryEntry} from '../../../src/recorder/ledger/delivery-ledger.js'
import {readStoreRecoveries} from '../../../src/cluster/store-recoveries.js'
import {appendRecoveryRecord} from '../../../src/broker/store/recovery-record.js'
import type {RecoveryReport} from '../../../src/broker/store/recovery.js'
import {DeliveryLog} from '../../../src/recorder/ledger/delivery-log.js'
import {ProducerLog} from '../../../src/recorder/ledger/producer-log.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mqbench-recovery-losses-'))
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

function ok(seq: number, queueId: number, queueOffset: number, ackMs: number, brokerName = 0): ProducerLedgerEntry {
  return {kind: 'outcome', outcome: SendOutcome.SEND_OK, producerId: 1, seq, queueId, queueOffset, intendedMs: ackMs - 1, ackMs, brokerName}
}

function found(seq: number): DeliveryEntry {
  return {producerId: 1, seq, queueId: 0, queueOffset: 0, brokerId: 0, reconsumeTimes: 0, crcOk: true, deliveredMs: 0, bornMs: 0, storeMs: 0}
}

describe('recoveryLosses', () => {
  it('names the lost acks a recovery cut, and only those', () => {
    const report: RecoveryReport = {
      abnormal: true, validEndOffset: 4096, truncatedBytes: 900, truncatedAt: {file: '/s/commitlog/00000000000000000000', offset: 4096, reason: 'bad size 1073741823'},
      recordsBeyond: 3, quarantined: [{source: '/s/commitlog/00000000000000000000', sourcePosition: 4096, path: '/s/quarantine/x.bin', bytes: 900}],
      queueEnds: {'T-0': 5, 'T-1': 2}, messagesRedispatched: 0, consumeQueueUnitsDropped: 0,
    }
    appendRecoveryRecord(dir, report)
    const recoveries = readStoreRecoveries([{kind: 'broker', name: 'broker-a-0', brokerName: 'broker-a', brokerId: 0, storeDir: dir, addr: '127.0.0.1:1', pid: 1}])
    const atMs = recoveries[0]!.record.atMs
    const entries = [
      ok(1, 0, 4, atMs - 10), // below the queue's end: found, fine
      ok(2, 0, 5, atMs - 10), // cut
      ok(3, 1, 2, atMs - 10), // cut
      ok(4, 1, 1, atMs - 10), // lost, but below the end: not this cut's doing
      ok(5, 0, 6, atMs + 60_000), // acked after the recovery: not this cut's doing
      ok(6, 0, 7, atMs - 10, 1), // another broker
    ]
    const out = recoveryLosses('T', [{log: ProducerLog.of(entries), brokerNames: ['broker-a', 'broker-b']}], DeliveryLog.of([found(1)]), recoveries)
    expect(out).toHaveLength(1)
    expect(out[0]).toMatchObject({node: 'broker-a-0', truncatedAt: '/s/commitlog/00000000000000000000:4096', truncatedBytes: 900, recordsBeyond: 3, lost: 2})
    expect(out[0]!.lostSamples).toEqual([
      '1:2 truncated by recovery at /s/commitlog/00000000000000000000:4096',
      '1:3 truncated by recovery at /s/commitlog/00000000000000000000:4096',
    ])
    expect(out[0]!.quarantined).toEqual(['/s/quarantine/x.bin'])
    expect(recoveryWarnings(out[0]!)).toEqual([
      'broker-a-0: recovery cut 900 bytes (3 well-formed records) at /s/commitlog/00000000000000000000:4096: bad size 1073741823; 2 SEND_OK lost to it; kept in /s/quarantine/x.bin',
    ])
  })

  it('warns about a ConsumeQueue rebuild, and says nothing for a recovery that cut nothing', () => {
    const quiet = {node: 'n', atMs: 0, abnormal: true, truncatedBytes: 0, recordsBeyond: 0, quarantined: [], lost: 0, lostSamples: []}
    expect(recoveryWarnings(quiet)).toEqual([])
    expect(recoveryWarnings({...quiet, consumeQueueRebuild: 'checkpoint behind'})).toEqual(['n: ConsumeQueues rebuilt from the CommitLog (checkpoint behind)'])
  })
})
