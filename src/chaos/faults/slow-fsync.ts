/**
 * slow-fsync: every fsync of the target's store takes `delay` (± `jitter`) longer until heal. Beyond
 * syncFlushTimeout a SYNC_FLUSH send answers FLUSH_DISK_TIMEOUT (its message is stored, only not yet
 * durable); ASYNC_FLUSH sends do not wait for fsync, so only the flush window grows.
 */
import {z} from 'zod'
import {type FaultAction, handle} from '../fault-action.js'
import {durationParam, filesParam, requireFaultInjection, sendDiskFault} from './broker-disk-faults.js'

export const slowFsyncParams = z.object({delay: durationParam, jitter: durationParam.default('0s'), files: filesParam}).strict()
type SlowFsyncParams = z.output<typeof slowFsyncParams>

export const slowFsync: FaultAction<SlowFsyncParams> = {
  type: 'slow-fsync',
  params: slowFsyncParams,
  targetKinds: ['broker'],
  describe: (target, p) => `every fsync on ${target} takes ${p.delay} ms${p.jitter ? ` ± ${p.jitter} ms` : ''} more until heal`,
  validate: (target, _p, brokers) => requireFaultInjection('slow-fsync', target, brokers),
  async inject(ctx, target, p) {
    await sendDiskFault(ctx, target.names, {set: [{kind: 'slow-fsync', delayMs: p.delay, jitterMs: p.jitter, files: p.files}]})
    return handle('slow-fsync', target)
  },
  async heal(ctx, h) {
    await sendDiskFault(ctx, h.target.names, {clear: ['slow-fsync']})
  },
}
