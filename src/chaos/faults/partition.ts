/**
 * partition: the master cannot reach its slave (the HA link by default): nothing flows either way, as
 * behind a real partition bytes wait in the kernel buffers. A SYNC_MASTER answers FLUSH_SLAVE_TIMEOUT,
 * then SLAVE_NOT_AVAILABLE once it drops the silent slave; after heal the slave catches up byte for byte.
 */
import {z} from 'zod'
import {linkParam, networkFault} from './network-fault.js'

export const partitionParams = z.object({link: linkParam('ha')}).strict()

export const partition = networkFault('partition', partitionParams, () => ({partition: true}),
  (target, p) => `partition ${target}'s ${p.link} link until heal`)
