/**
 * MQBENCH_FAULT: refused unless the broker started with mqbenchFaultInjection=true; validates the
 * whole body before changing anything; over a real in-process BrokerController a switched fault
 * changes what SEND_MESSAGE_V2 answers, and clearing it lets sends succeed again.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {BrokerController} from '../../../../src/broker/broker-controller.js'
import {parseBrokerConfig} from '../../../../src/broker/broker-config.js'
import {handleFault} from '../../../../src/broker/processors/fault-admin.js'
import {newFaultAdminRequest} from '../../../../src/protocol/bodies/fault-admin.js'
import {FaultyFileIO} from '../../../../src/broker/store/io/faulty-file-io.js'
import {NodeFileIO} from '../../../../src/broker/store/io/node-file-io.js'
import {encodeSendMessageRequestHeaderV2} from '../../../../src/protocol/headers/send-message.js'
import {newRequest} from '../../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../../src/protocol/response-code.js'
import {RemotingClient} from '../../../../src/remoting/remoting-client.js'
import {harness} from './harness.js'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, {recursive: true, force: true})))

describe('MQBENCH_FAULT handler', () => {
  it('answers NO_PERMISSION when fault injection is off', async () => {
    const h = await harness()
    const res = await h.call(newFaultAdminRequest({set: [{kind: 'eio'}]}))
    expect(res.code).toBe(ResponseCode.NO_PERMISSION)
    expect(res.remark).toMatch(/mqbenchFaultInjection=true/)
    h.dispose()
  })

  it('sets, reads and clears faults; a bad body changes nothing and names the field', async () => {
    const h = await harness()
    const faultIO = new FaultyFileIO(new NodeFileIO())
    const ctx = {...h.ctx, faultIO}
    const body = (res: {body?: Buffer}) => JSON.parse(res.body!.toString())
    let res = handleFault(ctx, newFaultAdminRequest({set: [{kind: 'slow-fsync', delayMs: 50}, {kind: 'eio', op: 'write'}]}))
    expect(res.code).toBe(ResponseCode.SUCCESS)
    expect(body(res).active).toEqual([{kind: 'slow-fsync', delayMs: 50}, {kind: 'eio', op: 'write'}])
    res = handleFault(ctx, newFaultAdminRequest({clear: ['eio'], set: [{kind: 'melt' as never}]}))
    expect(res.code).toBe(ResponseCode.INVALID_PARAMETER)
    expect(res.remark).toMatch(/^MQBENCH_FAULT set\[0\]\.kind: expected one of/)
    expect(faultIO.active()).toHaveLength(2)
    res = handleFault(ctx, newFaultAdminRequest({clear: ['eio']}))
    expect(body(res).active).toEqual([{kind: 'slow-fsync', delayMs: 50}])
    res = handleFault(ctx, newRequest(RequestCode.MQBENCH_FAULT, undefined, Buffer.from('{nope')))
    expect(res).toMatchObject({code: ResponseCode.INVALID_PARAMETER, remark: 'MQBENCH_FAULT body: expected JSON'})
    res = handleFault(ctx, newFaultAdminRequest({clear: true}))
    expect(body(res)).toMatchObject({active: [], stats: {writeErrors: 0}})
    h.dispose()
  })
})

describe('MQBENCH_FAULT on a live broker', () => {
  it('eio makes SYNC_FLUSH sends fail with a RocketMQ code, clearing it resumes SEND_OK', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqbench-fault-admin-'))
    dirs.push(dir)
    const config = parseBrokerConfig([
      'listenPort=0', `storePathRootDir=${dir}`, 'flushDiskType=SYNC_FLUSH', 'mqbenchFaultInjection=true',
      'mappedFileSizeCommitLog=1048576', 'mappedFileSizeConsumeQueue=6000',
    ].join('\n'))
    const broker = await BrokerController.start(config)
    const client = new RemotingClient()
    try {
      const send = (body: string) => client.invoke(broker.brokerAddr, newRequest(RequestCode.SEND_MESSAGE_V2, encodeSendMessageRequestHeaderV2({
        producerGroup: 'g', topic: 'FaultTopic', defaultTopic: 'TBW102', defaultTopicQueueNums: 1, queueId: 0, sysFlag: 0,
        bornTimestamp: Date.now(), flag: 0, properties: '',
      }), Buffer.from(body)), 5000)
      expect((await send('a')).code).toBe(ResponseCode.SUCCESS)
      expect((await client.invoke(broker.brokerAddr, newFaultAdminRequest({set: [{kind: 'eio'}]}), 3000)).code).toBe(ResponseCode.SUCCESS)
      expect((await send('b')).code).toBe(ResponseCode.FLUSH_DISK_TIMEOUT)
      expect((await send('c')).code).toBe(ResponseCode.SERVICE_NOT_AVAILABLE)
      await client.invoke(broker.brokerAddr, newFaultAdminRequest({clear: true}), 3000)
      let code = -1
      for (let i = 0; i < 100 && code !== ResponseCode.SUCCESS; i++) {
        code = (await send(`d${i}`)).code
        if (code !== ResponseCode.SUCCESS) await new Promise((r) => setTimeout(r, 20))
      }
      expect(code).toBe(ResponseCode.SUCCESS)
    } finally {
      client.close()
      await broker.stop()
    }
  })
})
