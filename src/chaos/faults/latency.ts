/** latency: every request to the target (its client link by default) waits `delay` ± `jitter` in the proxy. */
import {z} from 'zod'
import {durationParam} from './broker-disk-faults.js'
import {linkParam, networkFault} from './network-fault.js'

export const latencyParams = z.object({delay: durationParam, jitter: durationParam.default('0s'), link: linkParam('client')}).strict()

export const latency = networkFault('latency', latencyParams, (p) => ({latencyMs: p.delay, jitterMs: p.jitter}),
  (target, p) => `+${p.delay} ms${p.jitter ? ` ± ${p.jitter} ms` : ''} per round trip on ${target}'s ${p.link} link`)
