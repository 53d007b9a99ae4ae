/**
 * Request codes of RocketMQ's classic remoting protocol (RequestCode.java; rocketmq-protocol.md
 * §2.1). 4.9.8 and 5.3.3 agree on all of these; 5.x only adds codes.
 */
export const RequestCode = {
  SEND_MESSAGE: 10,
  PULL_MESSAGE: 11,
  QUERY_MESSAGE: 12,
  QUERY_BROKER_OFFSET: 13,
  QUERY_CONSUMER_OFFSET: 14,
  UPDATE_CONSUMER_OFFSET: 15,
  UPDATE_AND_CREATE_TOPIC: 17,
  GET_ALL_TOPIC_CONFIG: 21,
  UPDATE_BROKER_CONFIG: 25,
  GET_BROKER_CONFIG: 26,
  GET_BROKER_RUNTIME_INFO: 28,
  SEARCH_OFFSET_BY_TIMESTAMP: 29,
  GET_MAX_OFFSET: 30,
  GET_MIN_OFFSET: 31,
  GET_EARLIEST_MSG_STORETIME: 32,
  VIEW_MESSAGE_BY_ID: 33,
  HEART_BEAT: 34,
  UNREGISTER_CLIENT: 35,
  CONSUMER_SEND_MSG_BACK: 36,
  END_TRANSACTION: 37,
  GET_CONSUMER_LIST_BY_GROUP: 38,
  CHECK_TRANSACTION_STATE: 39,
  NOTIFY_CONSUMER_IDS_CHANGED: 40,
  LOCK_BATCH_MQ: 41,
  UNLOCK_BATCH_MQ: 42,
  GET_ALL_CONSUMER_OFFSET: 43,
  GET_ALL_DELAY_OFFSET: 45,
  PUT_KV_CONFIG: 100,
  GET_KV_CONFIG: 101,
  DELETE_KV_CONFIG: 102,
  REGISTER_BROKER: 103,
  UNREGISTER_BROKER: 104,
  GET_ROUTEINFO_BY_TOPIC: 105,
  GET_BROKER_CLUSTER_INFO: 106,
  UPDATE_AND_CREATE_SUBSCRIPTIONGROUP: 200,
  GET_ALL_SUBSCRIPTIONGROUP_CONFIG: 201,
  GET_TOPIC_STATS_INFO: 202,
  GET_CONSUMER_CONNECTION_LIST: 203,
  GET_PRODUCER_CONNECTION_LIST: 204,
  GET_ALL_TOPIC_LIST_FROM_NAMESERVER: 206,
  GET_CONSUME_STATS: 208,
  RESET_CONSUMER_CLIENT_OFFSET: 220,
  GET_CONSUMER_STATUS_FROM_CLIENT: 221,
  GET_TOPICS_BY_CLUSTER: 224,
  QUERY_TOPIC_CONSUME_BY_WHO: 300,
  GET_CONSUMER_RUNNING_INFO: 307,
  CONSUME_MESSAGE_DIRECTLY: 309,
  SEND_MESSAGE_V2: 310,
  SEND_BATCH_MESSAGE: 320,
  QUERY_DATA_VERSION: 322,
  SEND_REPLY_MESSAGE: 324,
  SEND_REPLY_MESSAGE_V2: 325,
  GET_TOPIC_CONFIG: 351,
  LITE_PULL_MESSAGE: 361,
  BROKER_HEARTBEAT: 904,
  /** 5.x: sent to a slave with masterHaAddress, sets the address its HA client connects to. */
  EXCHANGE_BROKER_HA_INFO: 906,
  /** Ours, not RocketMQ's: switch disk faults on an embedded broker started with mqbenchFaultInjection=true. */
  MQBENCH_FAULT: 9901,
  // 5.x POP codes are too large for the ROCKETMQ header's short code field; JSON only.
  POP_MESSAGE: 200050,
  ACK_MESSAGE: 200051,
} as const

export type RequestCodeName = keyof typeof RequestCode

const NAMES = new Map<number, string>(Object.entries(RequestCode).map(([name, code]) => [code, name]))

/** For logs and errors; unknown codes (a newer peer's) are shown as UNKNOWN(<code>). */
export function requestCodeName(code: number): string {
  return NAMES.get(code) ?? `UNKNOWN(${code})`
}
