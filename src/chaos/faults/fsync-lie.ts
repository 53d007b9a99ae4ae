/**
 * fsync-lie: the target's disk acknowledges fsync without persisting anything (a controller with a
 * volatile write cache that lies). The broker keeps answering SEND_OK in SYNC_FLUSH, believing the
 * bytes are durable. With powerLossAtHeal (the default) heal is a power cut followed by a restart:
 * over pageCacheMode=volatile or storeFs: faultfs exactly the "synced" bytes vanish, and the audit must report SEND_OK
 * messages lost (a FAIL verdict is the correct outcome: the lie is what mqbench exists to expose).
 */
import {z} from 'zod'
import {type FaultAction, handle} from '../fault-action.js'
import {filesParam, requireFaultInjection, sendDiskFault} from './broker-disk-faults.js'
import {cutPower} from './faultfs-disk.js'

export const fsyncLieParams = z.object({powerLossAtHeal: z.boolean().default(true), files: filesParam}).strict()
type FsyncLieParams = z.output<typeof fsyncLieParams>

export const fsyncLie: FaultAction<FsyncLieParams> = {
  type: 'fsync-lie',
  params: fsyncLieParams,
  targetKinds: ['broker'],
  describe: (target, p) => `fsync on ${target} succeeds without persisting; ${p.powerLossAtHeal ? 'a power cut and restart at heal' : 'honest again at heal'}`,
  validate(target, p, brokers) {
    const errors = requireFaultInjection('fsync-lie', target, brokers)
    if (!p.powerLossAtHeal) return errors
    for (const n of target.names) {
      const b = brokers.find((x) => x.node === n)
      // With the OS page cache a SIGKILL keeps the unsynced bytes: the lie would never show.
      if (b && b.conf['pageCacheMode'] !== 'volatile' && b.conf['storeFs'] !== 'faultfs') {
        errors.push(`fsync-lie on ${n}: expected broker conf pageCacheMode: volatile or storeFs: faultfs (powerLossAtHeal needs a power cut)`)
      }
    }
    return errors
  },
  async inject(ctx, target, p) {
    await sendDiskFault(ctx, target.names, {set: [{kind: 'fsync-lie', files: p.files}]})
    return handle('fsync-lie', target)
  },
  async heal(ctx, h, p) {
    if (!p.powerLossAtHeal) {
      await sendDiskFault(ctx, h.target.names, {clear: ['fsync-lie']})
      return
    }
    // The restarted process (and a remounted faultfs) starts with no fault: the lie ends with the power cut.
    await cutPower(ctx, h.target.names)
    for (const n of h.target.names) await ctx.cluster.restart(n)
  },
}
