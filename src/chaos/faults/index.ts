/** The fault registry: one line per fault type (style rule 10). */
import type {AnyFaultAction} from '../fault-action.js'
import {bandwidth} from './bandwidth.js'
import {blackhole} from './blackhole.js'
import {diskEio} from './disk-eio.js'
import {diskFull} from './disk-full.js'
import {diskLoss} from './disk-loss.js'
import {drop} from './drop.js'
import {fsyncLie} from './fsync-lie.js'
import {latency} from './latency.js'
import {partition} from './partition.js'
import {kill} from './kill.js'
import {pause} from './pause.js'
import {powerLoss} from './power-loss.js'
import {restart} from './restart.js'
import {slowClose} from './slow-close.js'
import {slowFsync} from './slow-fsync.js'
import {tornWrite} from './torn-write.js'

const ACTIONS: readonly AnyFaultAction[] = [
  kill, pause, restart, powerLoss, diskLoss,
  diskEio, diskFull, slowFsync, fsyncLie, tornWrite,
  latency, bandwidth, drop, blackhole, partition, slowClose,
]

export const FAULT_ACTIONS: ReadonlyMap<string, AnyFaultAction> = new Map(ACTIONS.map((a) => [a.type, a]))

export function faultAction(type: string): AnyFaultAction | undefined {
  return FAULT_ACTIONS.get(type)
}
