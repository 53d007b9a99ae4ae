/**
 * Runs a fault plan against a live run: waits for each event's time, resolves its target, injects,
 * holds it `for` its duration, heals. Events run one at a time in plan order (a later event waits for
 * the earlier ones' heal) unless an event is marked `overlap`, so the cluster is never broken in two
 * ways the schedule did not say.
 * finish() is the schedule's final step (Jepsen's final generator): no new faults, the one in progress
 * is healed at once, and only then may the runner drain. Every inject and heal is recorded with its
 * epoch time so the verdict can line faults up with acks and flushes.
 */
import {RunBrokenError} from '../errors.js'
import type {FaultContext, FaultHandle} from './fault-action.js'
import type {MeasuredLag} from './replication-lag.js'
import type {PlannedFault} from './schedule.js'
import {resolveTarget} from './targets.js'

export interface FaultEvent {
  action: string
  /** The scenario's target text and what it resolved to. */
  target: string
  names: string[]
  injectedMs: number
  /** Epoch ms the heal began: until then the fault certainly held (a slow heal may have undone it earlier than healedMs). */
  healStartedMs?: number
  healedMs?: number
  error?: string
  /** disk-loss under replication: the lag measured just before the cut (what an ASYNC_MASTER may lose). */
  replicationLag?: MeasuredLag
  /** Epoch ms the inject began: a slow inject (disk-full stops and moves the broker) disrupts from here, not from injectedMs. */
  startedMs?: number
  /** The fault in one line, as its plugin describes it (fsync-lie: "…; a power cut and restart at heal"). */
  description?: string
  /** power-loss: bytes written but unsynced on the target just before the cut (what it destroyed, at least). */
  unsyncedBytes?: number
}

export interface FaultRunnerOptions {
  loadStartMs: number
  random: () => number
  onInject?: (e: FaultEvent) => void
  onHeal?: (e: FaultEvent) => void
  /** Once the schedule is over (finished or abandoned): stop whatever watched the faults. */
  onStop?: () => void
}

export class FaultRunner {
  readonly events: FaultEvent[] = []
  private stopping = false
  private abandoned = false
  /** Sleepers to cut short on finish()/abandon(): the schedule's own and each held fault's. */
  private readonly wakers = new Set<() => void>()
  private loop: Promise<void> | undefined
  private readonly healErrors: string[] = []

  constructor(private readonly plan: PlannedFault[], private readonly ctx: FaultContext, private readonly opts: FaultRunnerOptions) {}

  start(): void {
    this.loop ??= this.run()
  }

  /** Stops the schedule, heals whatever is still broken, and resolves once everything is healed. */
  async finish(): Promise<FaultEvent[]> {
    this.stopping = true
    this.wakeAll()
    try {
      await this.loop
    } finally {
      this.opts.onStop?.()
    }
    if (this.healErrors.length > 0) {
      throw new RunBrokenError(`heal failed: ${this.healErrors.join('; ')}`, {hint: 'see the broker logs in the run directory'})
    }
    return this.events
  }

  /** Ctrl-C or a broken run: stop at once without healing (the cluster is about to be stopped anyway). */
  async abandon(): Promise<void> {
    this.abandoned = true
    this.stopping = true
    this.wakeAll()
    await this.loop?.catch(() => undefined)
    this.opts.onStop?.()
  }

  /** Events that were due but never fired because the load ended first. */
  skipped(): PlannedFault[] {
    const fired = this.events.length
    return this.plan.slice(fired)
  }

  private async run(): Promise<void> {
    const held = new Set<Promise<void>>()
    for (const planned of this.plan) {
      if (!planned.overlap) await Promise.all(held)
      await this.sleepUntil(this.opts.loadStartMs + planned.atMs)
      if (this.stopping) break
      const task: Promise<void> = this.injectHoldHeal(planned).finally(() => held.delete(task))
      held.add(task)
    }
    await Promise.all(held)
  }

  private async injectHoldHeal(planned: PlannedFault): Promise<void> {
    const injected = await this.inject(planned)
    if (injected === undefined) return
    await this.sleepUntil(injected.handle.injectedMs + planned.forMs)
    if (this.abandoned) return
    await this.heal(planned, injected.handle, injected.event)
  }

  private wakeAll(): void {
    for (const wake of [...this.wakers]) wake()
  }

  private async inject(planned: PlannedFault): Promise<{handle: FaultHandle; event: FaultEvent} | undefined> {
    const target = resolveTarget(planned.target, this.ctx.brokers, this.ctx.workers, this.opts.random)
    const event: FaultEvent = {action: planned.action.type, target: planned.target, names: target.names, injectedMs: Date.now(), startedMs: Date.now(), description: planned.action.describe(planned.target, planned.params)}
    this.events.push(event)
    if (target.names.length === 0) {
      event.error = `target '${planned.target}' matched nothing alive`
      event.healedMs = event.injectedMs
      this.warn(`chaos: ${planned.action.type} ${planned.target}: ${event.error}`)
      return undefined
    }
    try {
      const h = await planned.action.inject(this.ctx, target, planned.params)
      event.injectedMs = h.injectedMs
      if (typeof h.detail['unsyncedBytes'] === 'number') event.unsyncedBytes = h.detail['unsyncedBytes']
      this.ctx.log(`chaos: ${planned.action.type} ${planned.target} (${target.names.join(', ')})`)
      this.opts.onInject?.(event)
      return {handle: h, event}
    } catch (err) {
      // The target may have died by itself (or be mid-restart); the fault did not happen, the run goes on.
      event.error = `inject failed: ${(err as Error).message}`
      event.healedMs = Date.now()
      this.warn(`chaos: ${planned.action.type} ${planned.target}: ${event.error}`)
      return undefined
    }
  }

  private async heal(planned: PlannedFault, h: FaultHandle, event: FaultEvent): Promise<void> {
    event.healStartedMs = Date.now()
    try {
      await planned.action.heal(this.ctx, h, planned.params)
    } catch (err) {
      event.error = `heal failed: ${(err as Error).message}`
      this.healErrors.push(`${planned.action.type} ${planned.target}: ${(err as Error).message}`)
      this.warn(`chaos: ${planned.action.type} ${planned.target}: ${event.error}`)
    }
    event.healedMs = Date.now()
    this.ctx.log(`chaos: healed ${planned.action.type} ${planned.target}`)
    this.opts.onHeal?.(event)
  }

  private warn(line: string): void {
    const warn = this.ctx.warn ?? this.ctx.log
    warn(line)
  }

  /** Returns early once finish() is called. */
  private async sleepUntil(epochMs: number): Promise<void> {
    // A timer may fire a millisecond before Date.now() reaches its deadline: sleep again until it has
    // (a fault held for 60 ms was healed after 59).
    for (;;) {
      const ms = epochMs - Date.now()
      if (ms <= 0 || this.stopping) return
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms)
        const wakers = this.wakers
        function done(): void {
          clearTimeout(timer)
          wakers.delete(done)
          resolve()
        }
        wakers.add(done)
      })
    }
  }
}
