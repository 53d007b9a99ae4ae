import {describe, expect, it} from 'vitest'
import {
  decodeConsumeStats, decodeTopicConfigAndQueueMapping, decodeTopicStatsTable, encodeConsumeStats,
  encodeTopicConfigAndQueueMapping, encodeTopicStatsTable,
} from '../../../../src/protocol/bodies/admin-stats.js'
import {expectBadBody} from './body-errors.js'

const q0 = {brokerName: 'broker-a', queueId: 0, topic: 'T'}
const q1 = {brokerName: 'broker-a', queueId: 1, topic: 'T'}

describe('TopicStatsTable', () => {
  const table = {
    offsetTable: [
      [q0, {lastUpdateTimestamp: 1_700_000_000_123, maxOffset: 5, minOffset: 0}],
      [q1, {lastUpdateTimestamp: 0, maxOffset: 0, minOffset: 0}],
    ] as Array<[typeof q0, {lastUpdateTimestamp: number; maxOffset: number; minOffset: number}]>,
    topicPutTps: 12.5,
  }

  it('writes fastjson\'s object-keyed map, fields in fastjson\'s (alphabetical) order', () => {
    expect(encodeTopicStatsTable(table).toString()).toBe(
      '{"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:{"lastUpdateTimestamp":1700000000123,"maxOffset":5,"minOffset":0},' +
      '{"brokerName":"broker-a","queueId":1,"topic":"T"}:{"lastUpdateTimestamp":0,"maxOffset":0,"minOffset":0}},"topicPutTps":12.5}',
    )
  })

  it('round-trips, and reads an empty table', () => {
    expect(decodeTopicStatsTable(encodeTopicStatsTable(table))).toStrictEqual(table)
    expect(decodeTopicStatsTable('{"offsetTable":{},"topicPutTps":0.0}')).toStrictEqual({offsetTable: [], topicPutTps: 0})
  })

  it('names a bad key', () => {
    expectBadBody(() => decodeTopicStatsTable('{"offsetTable":{{"brokerName":"b","queueId":"x","topic":"T"}:{}}}'), 'TopicStatsTable.offsetTable[0].key.queueId')
  })
})

describe('ConsumeStats', () => {
  const stats = {
    consumeTps: 3.25,
    offsetTable: [[q0, {brokerOffset: 9, consumerOffset: 7, lastTimestamp: 1_700_000_000_000, pullOffset: 7}]] as Array<
      [typeof q0, {brokerOffset: number; consumerOffset: number; lastTimestamp: number; pullOffset: number}]
    >,
  }

  it('writes the Java layout and round-trips', () => {
    expect(encodeConsumeStats(stats).toString()).toBe(
      '{"consumeTps":3.25,"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:' +
      '{"brokerOffset":9,"consumerOffset":7,"lastTimestamp":1700000000000,"pullOffset":7}}}',
    )
    expect(decodeConsumeStats(encodeConsumeStats(stats))).toStrictEqual(stats)
  })

  it('rejects a body that is not a map', () => {
    expectBadBody(() => decodeConsumeStats('{"offsetTable":[1]}'), 'ConsumeStats.offsetTable')
    expectBadBody(() => decodeConsumeStats('{"offsetTable":{{"brokerName":"b"'), 'ConsumeStats')
  })
})

describe('TopicConfigAndQueueMapping', () => {
  it('writes a TopicConfig in fastjson order, without a mapping', () => {
    const tc = {topicName: 'T', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false}
    const body = encodeTopicConfigAndQueueMapping(tc)
    expect(body.toString()).toBe(
      '{"attributes":{},"order":false,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG","topicName":"T","topicSysFlag":0,"writeQueueNums":4}',
    )
    expect(decodeTopicConfigAndQueueMapping(body)).toMatchObject(tc)
  })
})
