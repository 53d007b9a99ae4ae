/** RocketMQ's store/config BrokerRole and FlushDiskType, in the broker.conf spelling. */
/** A master's roles: what `--role` and a matrix cell may set (a slave is added, never chosen). */
export const MASTER_ROLES = ['ASYNC_MASTER', 'SYNC_MASTER'] as const
export type MasterRole = (typeof MASTER_ROLES)[number]
export const BROKER_ROLES = [...MASTER_ROLES, 'SLAVE'] as const
export type BrokerRole = (typeof BROKER_ROLES)[number]

export const FLUSH_DISK_TYPES = ['ASYNC_FLUSH', 'SYNC_FLUSH'] as const
export type FlushDiskType = (typeof FLUSH_DISK_TYPES)[number]
