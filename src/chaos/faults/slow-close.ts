/** slow-close: a close from either side reaches the other `delay` later (lingering half-closed connections). */
import {z} from 'zod'
import {durationParam} from './broker-disk-faults.js'
import {linkParam, networkFault} from './network-fault.js'

export const slowCloseParams = z.object({delay: durationParam, link: linkParam('client')}).strict()

export const slowClose = networkFault('slow-close', slowCloseParams, (p) => ({slowCloseMs: p.delay}),
  (target, p) => `closes on ${target}'s ${p.link} link arrive ${p.delay} ms late`)
