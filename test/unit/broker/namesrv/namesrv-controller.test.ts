import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {NamesrvController} from '../../../../src/broker/namesrv/namesrv-controller.js'
import {decodeClusterInfo} from '../../../../src/protocol/bodies/cluster-info.js'
import {decodeTopicList} from '../../../../src/protocol/bodies/name-lists.js'
import {encodeRegisterBrokerBody} from '../../../../src/protocol/bodies/register-broker-body.js'
import {decodeTopicRouteData} from '../../../../src/protocol/bodies/topic-route-data.js'
import {bodyCrc} from '../../../../src/protocol/crc32.js'
import {encodeRegisterBrokerRequestHeader} from '../../../../src/protocol/headers/namesrv.js'
import {newRequest} from '../../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../../src/protocol/response-code.js'
import {RemotingClient} from '../../../../src/remoting/remoting-client.js'

const body = encodeRegisterBrokerBody({
  topicConfigSerializeWrapper: {
    dataVersion: {counter: 1, timestamp: 1},
    topicConfigTable: {T: {topicName: 'T', readQueueNums: 2, writeQueueNums: 2, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false}},
  },
  filterServerList: [],
})
const header = {brokerName: 'b', brokerAddr: '127.0.0.1:10911', clusterName: 'C', haServerAddr: '127.0.0.1:10912', brokerId: 0}

describe('NamesrvController over TCP', () => {
  let ctl: NamesrvController
  let addr: string
  const client = new RemotingClient()
  const brokerConn = new RemotingClient()

  beforeAll(async () => {
    ctl = new NamesrvController({listenPort: 0})
    addr = `127.0.0.1:${await ctl.start()}`
  })
  afterAll(async () => {
    client.close()
    brokerConn.close()
    await ctl.stop()
  })

  it('TOPIC_NOT_EXIST before registration, the route after it', async () => {
    const before = await client.invoke(addr, newRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, {topic: 'T'}), 3000)
    expect(before.code).toBe(ResponseCode.TOPIC_NOT_EXIST)
    expect(before.remark).toBe('No topic route info in name server for the topic: T')
    const ext = {...encodeRegisterBrokerRequestHeader(header), bodyCrc32: String(bodyCrc(body))}
    const res = await brokerConn.invoke(addr, newRequest(RequestCode.REGISTER_BROKER, ext, body), 3000)
    expect(res.code).toBe(ResponseCode.SUCCESS)
    const route = await client.invoke(addr, newRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, {topic: 'T'}), 3000)
    expect(route.code).toBe(ResponseCode.SUCCESS)
    expect(decodeTopicRouteData(route.body).brokerDatas[0]!.brokerAddrs).toEqual({'0': '127.0.0.1:10911'})
    const info = await client.invoke(addr, newRequest(RequestCode.GET_BROKER_CLUSTER_INFO), 3000)
    expect(decodeClusterInfo(info.body).clusterAddrTable).toEqual({C: ['b']})
    // mqadmin topicList / consumerProgress without -g
    const topics = await client.invoke(addr, newRequest(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER), 3000)
    expect(decodeTopicList(topics.body)).toEqual({topicList: ['T']})
  })

  it('refuses a body whose crc does not match, and a missing mandatory header field', async () => {
    const ext = {...encodeRegisterBrokerRequestHeader(header), bodyCrc32: '12345'}
    const bad = await client.invoke(addr, newRequest(RequestCode.REGISTER_BROKER, ext, body), 3000)
    expect([bad.code, bad.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'crc32 not match'])
    const missing = await client.invoke(addr, newRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, {}), 3000)
    expect(missing.code).toBe(ResponseCode.SYSTEM_ERROR)
    expect(missing.remark).toMatch(/topic/)
  })

  it('forgets a broker when its registering connection closes', async () => {
    brokerConn.close()
    let code = 0
    for (let i = 0; i < 50 && code !== ResponseCode.TOPIC_NOT_EXIST; i++) {
      await new Promise((r) => setTimeout(r, 20))
      code = (await client.invoke(addr, newRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, {topic: 'T'}), 3000)).code
    }
    expect(code).toBe(ResponseCode.TOPIC_NOT_EXIST)
  })
})
