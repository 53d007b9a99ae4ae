/**
 * The runner never prints: it emits typed events, and presenters (progress line, tests) listen.
 */
import {EventEmitter} from 'node:events'

export type RunPhase = 'prepare' | 'cluster' | 'warmup' | 'load' | 'drain' | 'audit' | 'report' | 'stopping'

export interface RunTick {
  elapsedS: number
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
}

export class RunEvents extends EventEmitter<RunEventMap> {}
