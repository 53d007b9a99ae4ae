/**
 * RocketMQ's SendStatus vocabulary, as metrics counts and reports it. src/client owns the mapping from
 * response codes; this is only the closed list of names, kept here so metrics and report do not reach
 * down into the client for a type.
 */
export type SendStatus = 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE'

/** In RocketMQ's declaration order, which is also the order reports print them in. */
export const SEND_STATUSES: readonly SendStatus[] = ['SEND_OK', 'FLUSH_DISK_TIMEOUT', 'FLUSH_SLAVE_TIMEOUT', 'SLAVE_NOT_AVAILABLE']
