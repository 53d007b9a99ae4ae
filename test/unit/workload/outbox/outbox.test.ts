import {appendFileSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {ProducerLedgerWriter, readProducerLedger, SendOutcome} from '../../../../src/recorder/ledger/index.js'
import type {Message} from '../../../../src/client/message.js'
import type {SendResult} from '../../../../src/client/send-result.js'
import {TimeoutError} from '../../../../src/errors.js'
import {compensateOutbox} from '../../../../src/workload/outbox/compensator.js'
import {OutboxTable} from '../../../../src/workload/outbox/outbox-table.js'
import {readIdentity} from '../../../../src/workload/message-identity.js'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mqbench-outbox-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true})
})

const ok = (m: Message): SendResult => ({
  status: 'SEND_OK', msgId: 'U', offsetMsgId: 'O', queue: {topic: m.topic, brokerName: 'b', queueId: 1}, queueOffset: 9, attempts: 1,
} as SendResult)

describe('OutboxTable', () => {
  it('PENDING without a later SUCCESS is what readPending returns, bodies intact, torn tail ignored', () => {
    const path = join(tmp(), 'outbox.bin')
    const t = new OutboxTable(path)
    t.pending({producerId: 0, seq: 0, intendedMs: 1.5, body: Buffer.from('zero')})
    t.pending({producerId: 0, seq: 1, intendedMs: 2.5, body: Buffer.from('one')})
    t.pending({producerId: 3, seq: 1, intendedMs: 3.5, body: Buffer.alloc(0)})
    t.success(0, 0)
    t.close()
    appendFileSync(path, Buffer.from([1, 0, 0, 0, 9]))
    const pending = OutboxTable.readPending(path)
    expect(pending).toEqual([
      {producerId: 0, seq: 1, intendedMs: 2.5, body: Buffer.from('one')},
      {producerId: 3, seq: 1, intendedMs: 3.5, body: Buffer.alloc(0)},
    ])
    expect(OutboxTable.readPending(join(tmp(), 'none.bin'))).toEqual([])
  })
})

describe('compensateOutbox', () => {
  it('re-sends PENDING entries with their identity and body, marks SEND_OK ones SUCCESS, keeps failures PENDING', async () => {
    const dir = tmp()
    const path = join(dir, 'outbox.bin')
    const first = new OutboxTable(path)
    first.pending({producerId: 2, seq: 7, intendedMs: 100, body: Buffer.from('seven')})
    first.pending({producerId: 2, seq: 8, intendedMs: 101, body: Buffer.from('eight')})
    first.close()
    const table = new OutboxTable(path)
    const ledger = new ProducerLedgerWriter(join(dir, 'p.ledger'))
    const sent: Message[] = []
    const report = await compensateOutbox({
      pending: OutboxTable.readPending(path), table, ledger, runId: 'R', topic: 'T', now: () => 5,
      send: async (m) => {
        sent.push(m)
        if (m.body.toString() === 'eight') throw new TimeoutError('slow')
        return ok(m)
      },
    })
    table.close()
    ledger.close()
    expect(report).toEqual({resent: 1, failed: 1})
    expect(sent[0]!.body.toString()).toBe('seven')
    expect(readIdentity({properties: sent[0]!.properties!})).toMatchObject({runId: 'R', producerId: 2, seq: 7, intendedMs: 100})
    expect(OutboxTable.readPending(path).map((e) => e.seq)).toEqual([8])
    const outcomes = readProducerLedger(join(dir, 'p.ledger'))
    expect(outcomes.map((e) => [e.seq, e.outcome])).toEqual([[7, SendOutcome.SEND_OK], [8, SendOutcome.ERROR_TIMEOUT]])
  })
})
