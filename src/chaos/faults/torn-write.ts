/**
 * torn-write: every write of the target's CommitLog lands only a prefix of its bytes and fails with
 * EIO until heal. The store must not show the torn record (it stays in memory until a retry writes
 * it whole) and a crash meanwhile must leave a tail that recovery truncates by CRC.
 */
import {z} from 'zod'
import {type FaultAction, handle} from '../fault-action.js'
import {filesParam, requireFaultInjection, sendDiskFault} from './broker-disk-faults.js'

export const tornWriteParams = z.object({files: filesParam}).strict()
type TornWriteParams = z.output<typeof tornWriteParams>

export const tornWrite: FaultAction<TornWriteParams> = {
  type: 'torn-write',
  params: tornWriteParams,
  targetKinds: ['broker'],
  describe: (target) => `writes on ${target} land a random prefix and fail with EIO until heal`,
  validate: (target, _p, brokers) => requireFaultInjection('torn-write', target, brokers),
  async inject(ctx, target, p) {
    await sendDiskFault(ctx, target.names, {set: [{kind: 'torn-write', files: p.files}]})
    return handle('torn-write', target)
  },
  async heal(ctx, h) {
    await sendDiskFault(ctx, h.target.names, {clear: ['torn-write']})
  },
}
