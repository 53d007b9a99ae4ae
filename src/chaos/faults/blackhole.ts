/** blackhole: connections to the target are accepted and nothing is forwarded; at heal they are reset. */
import {z} from 'zod'
import {linkParam, networkFault} from './network-fault.js'

export const blackholeParams = z.object({link: linkParam('client')}).strict()

export const blackhole = networkFault('blackhole', blackholeParams, () => ({blackhole: true}),
  (target, p) => `accept and swallow everything on ${target}'s ${p.link} link until heal`)
