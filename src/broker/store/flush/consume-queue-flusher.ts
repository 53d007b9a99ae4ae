/**
 * RocketMQ FlushConsumeQueueService: every flushIntervalConsumeQueue ms flush the ConsumeQueues
 * with at least flushConsumeQueueLeastPages dirty pages (all of them every
 * flushConsumeQueueThoroughInterval ms), then write the checkpoint. What to flush and what the
 * checkpoint says is the store's business (flushLogics); this file owns only the cadence.
 */
export interface ConsumeQueueFlusherOptions {
  flushIntervalConsumeQueue: number
  flushConsumeQueueThoroughInterval: number
}

export class ConsumeQueueFlusher {
  private timer?: NodeJS.Timeout
  private lastThoroughMs = Date.now()
  private inFlight?: Promise<void>

  constructor(
    private readonly flushLogics: (thorough: boolean) => Promise<void>,
    private readonly opts: ConsumeQueueFlusherOptions,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.opts.flushIntervalConsumeQueue)
    this.timer.unref()
  }

  private tick(): void {
    if (this.inFlight) return
    const now = Date.now()
    const thorough = now - this.lastThoroughMs >= this.opts.flushConsumeQueueThoroughInterval
    if (thorough) this.lastThoroughMs = now
    this.inFlight = this.flushLogics(thorough)
      .catch((err: unknown) => this.log(`store: ConsumeQueue flush failed: ${(err as Error).message}`))
      .finally(() => (this.inFlight = undefined))
  }

  /** Stops the timer and waits for a flush in progress. */
  async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.inFlight
  }
}
