/**
 * Per-second series for reports: throughput, tail latency and errors, on the same time axis as the
 * fault schedule (seconds since load start), so a latency spike can be lined up with the kill that
 * caused it.
 */
export interface TimelinePoint {
  /** Seconds since load start. */
  t: number
  sendTps: number
  consumeTps: number
  sendP99Ms: number
  e2eP99Ms: number
  errors: number
}

/** A day of one-second points; beyond that, points are counted as dropped rather than kept. */
export const TIMELINE_POINTS_MAX = 86_400

export class Timeline {
  private readonly series: TimelinePoint[] = []
  private droppedPoints = 0

  constructor(private readonly pointsMax: number = TIMELINE_POINTS_MAX) {}

  /**
   * Points normally arrive in order; one arriving late (a slow worker's tick) is inserted in place,
   * and a second point for the same `t` replaces the first, so the series stays one point per second.
   */
  add(point: TimelinePoint): void {
    let i = this.series.length
    while (i > 0 && this.series[i - 1]!.t > point.t) i--
    if (i > 0 && this.series[i - 1]!.t === point.t) {
      this.series[i - 1] = {...point}
      return
    }
    if (this.series.length >= this.pointsMax) {
      this.droppedPoints++
      return
    }
    this.series.splice(i, 0, {...point})
  }

  points(): TimelinePoint[] {
    return this.series.map((p) => ({...p}))
  }

  /** Points not kept because the series reached its bound. */
  dropped(): number {
    return this.droppedPoints
  }
}
