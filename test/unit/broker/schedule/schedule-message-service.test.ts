import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {applyDelayLevel} from '../../../../src/broker/schedule/delay-rewrite.js'
import {ScheduleMessageService} from '../../../../src/broker/schedule/schedule-message-service.js'
import type {MessageToStore} from '../../../../src/broker/store/message-store.js'
import {decodeMessageExt} from '../../../../src/protocol/message/message-decoder.js'
import {InMemoryStore} from '../processors/in-memory-store.js'

const LEVELS_MS = [50, 200, 400]

function delayed(level: number, uniq: string): MessageToStore {
  const m: MessageToStore = {
    topic: 'T', queueId: 3, flag: 5, sysFlag: 0, bornTimestamp: 42, bornHost: '127.0.0.1:777', body: Buffer.from(uniq),
    properties: {UNIQ_KEY: uniq, DELAY: String(level)}, reconsumeTimes: 4, waitStoreMsgOK: true,
  }
  applyDelayLevel(m, LEVELS_MS.length)
  return m
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('ScheduleMessageService', () => {
  const dirs: string[] = []
  const services: ScheduleMessageService[] = []
  afterEach(async () => {
    for (const s of services.splice(0)) await s.stop()
    for (const d of dirs.splice(0)) rmSync(d, {recursive: true, force: true})
  })

  async function service(store: InMemoryStore, dir: string, now?: () => number): Promise<ScheduleMessageService> {
    const svc = await ScheduleMessageService.load({
      store: store as never, levelsMs: LEVELS_MS, configDir: dir, firstDelayMs: 1, scanIntervalMs: 10, flushDelayOffsetInterval: 60_000, now,
    })
    services.push(svc)
    return svc
  }

  it('re-stores a due message into its real topic and queue: same body, flag, reconsumeTimes, UNIQ_KEY, no DELAY', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqbench-sched-'))
    dirs.push(dir)
    const store = new InMemoryStore()
    await store.putMessage(delayed(1, 'A'))
    const svc = await service(store, dir)
    svc.start()
    await until(() => store.queues.get('T@3') !== undefined)
    const real = decodeMessageExt(store.queues.get('T@3')![0]!.record)
    expect(real.body.toString()).toBe('A')
    expect(real.flag).toBe(5)
    expect(real.reconsumeTimes).toBe(4)
    expect(real.bornHost).toBe('127.0.0.1:777')
    expect(real.properties).toEqual({UNIQ_KEY: 'A', REAL_TOPIC: 'T', REAL_QID: '3'})
    expect(store.stored.at(-1)!.waitStoreMsgOK).toBe(false)
    expect(svc.offsets()).toMatchObject({1: 1})
  })

  it('holds a message until storeTimestamp + its level has passed, in queue order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqbench-sched-'))
    dirs.push(dir)
    const store = new InMemoryStore()
    let now = Date.now()
    await store.putMessage(delayed(2, 'B1'))
    await store.putMessage(delayed(2, 'B2'))
    const stored = store.queues.get('SCHEDULE_TOPIC_XXXX@1')![0]!.storeTimestamp
    now = stored + 199
    const svc = await service(store, dir, () => now)
    svc.start()
    await new Promise((r) => setTimeout(r, 80))
    expect(store.queues.get('T@3')).toBeUndefined()
    now = stored + 10_000
    await until(() => (store.queues.get('T@3')?.length ?? 0) === 2)
    expect(store.queues.get('T@3')!.map((e) => decodeMessageExt(e.record).properties.UNIQ_KEY)).toEqual(['B1', 'B2'])
  })

  it('keeps progress in delayOffset.json, so a restarted service moves each message once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqbench-sched-'))
    dirs.push(dir)
    const store = new InMemoryStore()
    await store.putMessage(delayed(1, 'C1'))
    const first = await service(store, dir)
    first.start()
    await until(() => store.queues.get('T@3')?.length === 1)
    await first.stop()
    services.splice(services.indexOf(first), 1)
    expect(JSON.parse(readFileSync(join(dir, 'delayOffset.json'), 'utf8'))).toEqual({offsetTable: {1: 1}})
    await store.putMessage(delayed(1, 'C2'))
    const second = await service(store, dir)
    expect(second.offsets()).toEqual({1: 1})
    second.start()
    await until(() => store.queues.get('T@3')?.length === 2)
    await new Promise((r) => setTimeout(r, 60))
    expect(store.queues.get('T@3')!.map((e) => decodeMessageExt(e.record).properties.UNIQ_KEY)).toEqual(['C1', 'C2'])
  })

  it('a failed re-store is retried from the same offset, not skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqbench-sched-'))
    dirs.push(dir)
    const store = new InMemoryStore()
    await store.putMessage(delayed(1, 'D'))
    store.nextStatus = 'SERVICE_NOT_AVAILABLE'
    const svc = await service(store, dir)
    svc.start()
    await new Promise((r) => setTimeout(r, 60))
    expect(svc.offsets()[1] ?? 0).toBe(0)
    store.nextStatus = 'PUT_OK'
    await until(() => store.queues.get('T@3')?.length === 1, 4000)
  })
})
