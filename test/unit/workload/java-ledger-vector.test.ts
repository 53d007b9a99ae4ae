/**
 * The ledger-format test vector shared by the two clients: test/fixtures/ledger-vector holds a producer
 * and a delivery ledger written by the TypeScript writers from fixed records. The Java writer
 * (workers/java LedgerVector) must produce the same bytes from the same records, and each side must
 * read the other's file back to the same records. A layout change on one side fails here.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, expect, it} from 'vitest'

import {DeliveryLedgerWriter, NOT_OURS, ProducerLedgerWriter, readDeliveryLedger, readProducerLedger} from '../../../src/recorder/ledger/index.js'
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
}

it('the TypeScript writers reproduce the committed vector byte for byte', () => {
  const dir = join(tmp, 'ts')
  execFileSync('mkdir', ['-p', dir])
  writeVectorTs(dir)
  for (const f of ['producer.ledger', 'delivery.ledger']) expect(readFileSync(join(dir, f))).toEqual(readFileSync(join(VECTOR, f)))
  expect(readProducerLedger(join(VECTOR, 'producer.ledger'))).toHaveLength(5)
})

describeJava('ledger vector, Java side', () => {
  function java(mainArgs: string[]): string {
    const {cmd, args} = javaMain('org.mqbench.worker.LedgerVector')
    return execFileSync(cmd, [...args, ...mainArgs], {encoding: 'utf8'})
  }

  it('the Java writer produces the committed bytes, and TypeScript reads them back', () => {
    const dir = join(tmp, 'java')
    java(['write', dir])
    for (const f of ['producer.ledger', 'delivery.ledger']) expect(readFileSync(join(dir, f))).toEqual(readFileSync(join(VECTOR, f)))
    expect(readProducerLedger(join(dir, 'producer.ledger'))[3]).toEqual({
      kind: 'outcome', producerId: 4294967294, seq: 4294967295, outcome: 6, brokerCode: 14, retries: 255, intendedMs: 1765000000001.5, ackMs: 1765000003001,
    })
  })

  it('the Java reader sees in the committed files what the TypeScript reader sees', () => {
    const lines = (f: string) => java(['dump', join(VECTOR, f)]).trim().split('\n').map((l) => JSON.parse(l) as unknown)
    expect(lines('producer.ledger')).toEqual(readProducerLedger(join(VECTOR, 'producer.ledger')))
    expect(lines('delivery.ledger')).toEqual(readDeliveryLedger(join(VECTOR, 'delivery.ledger')))
  })
})
