/** PermName bits (QueueData.perm, TopicConfig.perm, brokerPermission): READ|WRITE = 6 is the usual topic, TBW102 adds INHERIT. */
export const PermName = {PRIORITY: 8, READ: 4, WRITE: 2, INHERIT: 1} as const
