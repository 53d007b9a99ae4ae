/**
 * The runner never prints: it emits typed events, and presenters (progress line, tests) listen.
 */
import {EventEmitter} from 'node:events'

export type RunPhase = 'prepare' | 'cluster' | 'warmup' | 'load' | 'heal' | 'drain' | 'audit' | 'report' | 'stopping'

/** A fault injected or healed, seconds since load start (the timeline's clock). */
export interface RunFault {
  kind: 'inject' | 'heal'
  atS: number
  action: string
  target: string
  error?: string
}

export interface RunTick {
  /** Seconds of the load phase completed (warm-up not counted). */
  elapsedS: number
  /** The load phase's planned length: elapsed and ETA on the progress line. */
  durationS?: number
  phase: RunPhase
  sendTps: number
  consumeTps: number
  sendP99Ms: number
  errors: number
}

export interface RunEventMap {
  phase: [phase: RunPhase, detail: string]
  tick: [tick: RunTick]
  warning: [message: string]
  /** Progress worth a line of its own but not a warning: faults injected and healed, what a fault did. */
  note: [message: string]
  fault: [fault: RunFault]
}

export class RunEvents extends EventEmitter<RunEventMap> {}
