/** bandwidth: each direction of each connection to the target is paced to `bytesPerSec` (a slow link, not a lossy one). */
import {z} from 'zod'
import {parseSizeBytes} from '../../units.js'
import {unitErrorMap} from './broker-disk-faults.js'
import {linkParam, networkFault} from './network-fault.js'

const size = z.union([z.number().int().positive(), z.string()], {errorMap: unitErrorMap('a rate in bytes like "64KiB" or a number')}).transform((v, c) => {
  try {
    return parseSizeBytes(v, 'bytesPerSec')
  } catch (err) {
    c.addIssue({code: z.ZodIssueCode.custom, message: (err as Error).message})
    return z.NEVER
  }
})

export const bandwidthParams = z.object({bytesPerSec: size, link: linkParam('client')}).strict()

export const bandwidth = networkFault('bandwidth', bandwidthParams, (p) => ({bytesPerSec: p.bytesPerSec, direction: 'both'}),
  (target, p) => `${p.bytesPerSec} bytes/s each way on ${target}'s ${p.link} link`)
