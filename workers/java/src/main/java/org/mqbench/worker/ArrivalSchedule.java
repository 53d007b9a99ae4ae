package org.mqbench.worker;

/**
 * Open-loop arrival schedule, the same state machine as src/workload/arrival-schedule.ts: send i is
 * intended at startMs + i / rate whatever the sends before it did, latency is measured from that
 * intended time (coordinated omission corrected), a backlog older than maxBacklogMs is dropped and
 * counted. Rate 0 is closed loop: as fast as the in-flight bound allows, intended = when a slot frees.
 */
final class ArrivalSchedule {
  final double ratePerSec;
  final double startMs;
  final double endMs;
  private final double intervalMs;
  private final double maxBacklogMs;
  private final long totalSlots;
  private long nextSlot;
  private long dropped;
  private long started;

  ArrivalSchedule(double ratePerSec, double startMs, double durationMs, double maxBacklogMs) {
    this.ratePerSec = ratePerSec;
    this.startMs = startMs;
    this.endMs = startMs + durationMs;
    this.intervalMs = ratePerSec > 0 ? 1000 / ratePerSec : 0;
    this.maxBacklogMs = maxBacklogMs;
    this.totalSlots = ratePerSec > 0 ? Math.max(0, (long) Math.ceil(durationMs * ratePerSec / 1000 - 1e-9)) : Long.MAX_VALUE;
  }

  boolean closedLoop() {
    return ratePerSec == 0;
  }

  long dropped() {
    return dropped;
  }

  long started() {
    return started;
  }

  double intendedAt(long slot) {
    return startMs + slot * intervalMs;
  }

  boolean finished(double nowMs) {
    return closedLoop() ? nowMs >= endMs : nextSlot >= totalSlots;
  }

  /** When the next slot is due; NaN when none is left. */
  double nextDueMs(double nowMs) {
    if (closedLoop()) return nowMs < endMs ? Math.max(nowMs, startMs) : Double.NaN;
    return nextSlot < totalSlots ? intendedAt(nextSlot) : Double.NaN;
  }

  /** Hands out up to freeSlots due sends into out[0..n), after dropping the too-old ones. */
  int take(double nowMs, int freeSlots, double[] out) {
    dropStale(nowMs);
    if (freeSlots <= 0) return 0;
    if (closedLoop()) {
      if (nowMs < startMs || nowMs >= endMs) return 0;
      for (int i = 0; i < freeSlots; i++) out[i] = nowMs;
      started += freeSlots;
      return freeSlots;
    }
    int n = (int) Math.max(0, Math.min(freeSlots, dueSlots(nowMs) - nextSlot));
    for (int i = 0; i < n; i++) out[i] = intendedAt(nextSlot + i);
    nextSlot += n;
    started += n;
    return n;
  }

  private long dueSlots(double nowMs) {
    if (nowMs < startMs) return 0;
    long due = (long) Math.floor((nowMs - startMs) / intervalMs) + 1;
    return Math.min(due, totalSlots);
  }

  private void dropStale(double nowMs) {
    if (closedLoop()) return;
    double oldestAllowed = nowMs - maxBacklogMs;
    if (nextSlot >= totalSlots || intendedAt(nextSlot) >= oldestAllowed) return;
    long keep = (long) Math.ceil((oldestAllowed - startMs) / intervalMs);
    if (intendedAt(keep) < oldestAllowed) keep++;
    keep = Math.min(keep, totalSlots);
    dropped += keep - nextSlot;
    nextSlot = keep;
  }
}
