/**
 * The ledger-format test vector shared by the two clients: test/fixtures/ledger-vector holds a producer
 * and a delivery ledger written by the TypeScript writers from fixed records, and a producer outbox
 * table (workload/outbox). The Java writers (workers/java LedgerVector) must produce the same bytes
 * from the same records, and each side must read the other's file back to the same records. A layout
 * change on one side fails here.
 */
import {execFileSync} from 'node:child_process'
import {appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, expect, it} from 'vitest'

import {DeliveryLedgerWriter, NOT_OURS, ProducerLedgerWriter, readDeliveryLedger, readProducerLedger} from '../../../src/recorder/ledger/index.js'
import {OutboxTable} from '../../../src/workload/outbox/outbox-table.js'
import {describeJava, javaMain} from '../../helpers/java-client.js'

const VECTOR = join(import.meta.dirname, '..', '..', 'fixtures', 'ledger-vector')
const tmp = mkdtempSync(join(tmpdir(), 'mqbench-ledger-vector-'))
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

/** The vector's records; workers/java/.../LedgerVector.java writes the same ones. */
function writeVectorTs(dir: string): void {
  const p = new ProducerLedgerWriter(join(dir, 'producer.ledger'))
  p.start(0, 0, 1765000000000.25)
  p.start(4294967294, 4294967295, 1765000000001.5)
  p.outcome({producerId: 0, seq: 0, outcome: 0, retries: 0, queueId: 3, queueOffset: 123456789012, intendedMs: 1765000000000.25, ackMs: 1765000000004.75, brokerName: 0})
  p.outcome({producerId: 4294967294, seq: 4294967295, outcome: 6, brokerCode: 14, retries: 300, intendedMs: 1765000000001.5, ackMs: 1765000003001})
  p.outcome({producerId: 7, seq: 9, outcome: 4, intendedMs: 1765000000002})
  p.close()
  const d = new DeliveryLedgerWriter(join(dir, 'delivery.ledger'))
  d.record({producerId: 0, seq: 0, queueId: 3, queueOffset: 123456789012, brokerId: 0, reconsumeTimes: 0, crcOk: true,
    deliveredMs: 1765000000010.5, bornMs: 1765000000000, storeMs: 1765000000003, topic: 0})
  d.record({producerId: NOT_OURS, seq: 0, queueId: 1, queueOffset: 7, brokerId: 1, reconsumeTimes: 16, crcOk: false,
    deliveredMs: 1765000000011, bornMs: 1765000000001, storeMs: 1765000000002, topic: 1})
  d.close()
  const o = new OutboxTable(join(dir, 'producer.outbox'))
  o.pending({producerId: 0, seq: 0, intendedMs: 1765000000000.25, body: Buffer.from([1, 2, 3])})
  o.pending({producerId: 4294967294, seq: 4294967295, intendedMs: 1765000000001.5, body: Buffer.from([0xff, 0, 0x7f, 0x80])})
  o.success(0, 0)
  o.pending({producerId: 7, seq: 9, intendedMs: 1765000000002, body: Buffer.alloc(0)})
  o.close()
}

const FILES = ['producer.ledger', 'delivery.ledger', 'producer.outbox']
const outboxRows = (file: string) => OutboxTable.readPending(file).map((e) => ({...e, body: e.body.toString('hex')}))

it('the TypeScript writers reproduce the committed vector byte for byte', () => {
  const dir = join(tmp, 'ts')
  execFileSync('mkdir', ['-p', dir])
  writeVectorTs(dir)
  for (const f of FILES) expect(readFileSync(join(dir, f))).toEqual(readFileSync(join(VECTOR, f)))
  expect(readProducerLedger(join(VECTOR, 'producer.ledger'))).toHaveLength(5)
  expect(readProducerLedger(join(VECTOR, 'producer.ledger'))[2]!.retries).toBe(0)
  expect(outboxRows(join(VECTOR, 'producer.outbox'))).toEqual([
    {producerId: 4294967294, seq: 4294967295, intendedMs: 1765000000001.5, body: 'ff007f80'},
    {producerId: 7, seq: 9, intendedMs: 1765000000002, body: ''},
  ])
})

describeJava('ledger vector, Java side', () => {
  function java(mainArgs: string[]): string {
    const {cmd, args} = javaMain('org.mqbench.worker.LedgerVector')
    return execFileSync(cmd, [...args, ...mainArgs], {encoding: 'utf8'})
  }

  it('the Java writer produces the committed bytes, and TypeScript reads them back', () => {
    const dir = join(tmp, 'java')
    java(['write', dir])
    for (const f of FILES) expect(readFileSync(join(dir, f))).toEqual(readFileSync(join(VECTOR, f)))
    expect(outboxRows(join(dir, 'producer.outbox'))).toHaveLength(2)
    expect(readProducerLedger(join(dir, 'producer.ledger'))[3]).toEqual({
      kind: 'outcome', producerId: 4294967294, seq: 4294967295, outcome: 6, brokerCode: 14, retries: 255, intendedMs: 1765000000001.5, ackMs: 1765000003001,
    })
  })

  it('the Java reader sees in the committed files what the TypeScript reader sees', () => {
    const lines = (f: string) => java(['dump', join(VECTOR, f)]).trim().split('\n').map((l) => JSON.parse(l) as unknown)
    expect(lines('producer.ledger')).toEqual(readProducerLedger(join(VECTOR, 'producer.ledger')))
    expect(lines('delivery.ledger')).toEqual(readDeliveryLedger(join(VECTOR, 'delivery.ledger')))
  })

  it('the Java outbox reader sees the PENDING entries TypeScript sees, and both ignore a torn last row', () => {
    const torn = join(tmp, 'torn.outbox')
    copyFileSync(join(VECTOR, 'producer.outbox'), torn)
    // A PENDING header announcing 8 body bytes, killed after 3 of them.
    appendFileSync(torn, Buffer.concat([Buffer.from([1, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0]), Buffer.alloc(8), Buffer.from([8, 0, 0, 0, 1, 2, 3])]))
    for (const f of [join(VECTOR, 'producer.outbox'), torn]) {
      const rows = java(['outbox', f]).trim().split('\n').map((l) => JSON.parse(l) as unknown)
      expect(rows).toEqual(outboxRows(f))
      expect(rows).toHaveLength(2)
    }
  })
})
