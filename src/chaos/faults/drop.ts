/** drop: every connection to the target is reset now and at every reconnect until heal. */
import {z} from 'zod'
import {linkParam, networkFault} from './network-fault.js'

export const dropParams = z.object({link: linkParam('client')}).strict()

export const drop = networkFault('drop', dropParams, () => ({drop: true}), (target, p) => `reset every connection on ${target}'s ${p.link} link until heal`)
