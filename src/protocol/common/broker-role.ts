/** RocketMQ's store/config BrokerRole and FlushDiskType, in the broker.conf spelling. */
export const BROKER_ROLES = ['ASYNC_MASTER', 'SYNC_MASTER', 'SLAVE'] as const
export type BrokerRole = (typeof BROKER_ROLES)[number]

export const FLUSH_DISK_TYPES = ['ASYNC_FLUSH', 'SYNC_FLUSH'] as const
export type FlushDiskType = (typeof FLUSH_DISK_TYPES)[number]
