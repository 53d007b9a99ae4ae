/**
 * disk-eio: the target's store writes and/or fsyncs fail with EIO until heal. The broker must answer
 * with RocketMQ codes (FLUSH_DISK_TIMEOUT for the sends in flight, SERVICE_NOT_AVAILABLE while the
 * disk is broken), never crash, never ack what was not written, and take sends again after heal.
 */
import {z} from 'zod'
import {type FaultAction, handle} from '../fault-action.js'
import {filesParam, requireFaultInjection, sendDiskFault} from './broker-disk-faults.js'

export const diskEioParams = z.object({op: z.enum(['write', 'fsync', 'both']).default('both'), files: filesParam}).strict()
type DiskEioParams = z.output<typeof diskEioParams>

export const diskEio: FaultAction<DiskEioParams> = {
  type: 'disk-eio',
  params: diskEioParams,
  targetKinds: ['broker'],
  describe: (target, p) => `${p.op === 'both' ? 'writes and fsyncs' : `${p.op}s`} fail with EIO on ${target}'s ${p.files === 'all' ? 'store' : 'CommitLog'} until heal`,
  validate: (target, _p, brokers) => requireFaultInjection('disk-eio', target, brokers),
  async inject(ctx, target, p) {
    await sendDiskFault(ctx, target.names, {set: [{kind: 'eio', op: p.op, files: p.files}]})
    return handle('disk-eio', target)
  },
  async heal(ctx, h) {
    await sendDiskFault(ctx, h.target.names, {clear: ['eio']})
  },
}
