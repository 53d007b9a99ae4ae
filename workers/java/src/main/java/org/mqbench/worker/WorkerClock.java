package org.mqbench.worker;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * Epoch time with sub-millisecond precision, and the per-second tick clock of
 * src/workload/second-ticker.ts: ticks fire at whole seconds of the measured window, so tick k of
 * every worker (Java or TypeScript) covers the same [k, k+1) s.
 */
final class WorkerClock {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((r) -> {
    Thread t = new Thread(r, "mqbench-ticker");
    t.setDaemon(true);
    return t;
  });
  private final java.util.function.DoubleSupplier measureFromMs;
  private volatile long nextSecond = Long.MIN_VALUE;
  private volatile boolean stopped;

  WorkerClock(java.util.function.DoubleSupplier measureFromMs) {
    this.measureFromMs = measureFromMs;
  }

  static double nowMs() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1000.0 + i.getNano() / 1e6;
  }

  long secondsSinceMeasure() {
    return (long) Math.floor((nowMs() - measureFromMs.getAsDouble()) / 1000);
  }

  long pendingSecond() {
    return nextSecond != Long.MIN_VALUE ? nextSecond - 1 : secondsSinceMeasure();
  }

  /** Calls onTick(k) at the end of each second k until it returns false or stop(). */
  void start(IntPredicate onTick) {
    if (stopped) return;
    double since = nowMs() - measureFromMs.getAsDouble();
    long k = Math.max(nextSecond, (long) Math.floor(since / 1000));
    nextSecond = k + 1;
    long delayUs = Math.max(1000, (long) Math.ceil(((k + 1) * 1000 - since) * 1000));
    timer.schedule(() -> {
      if (!stopped && onTick.test((int) k)) start(onTick);
    }, delayUs, TimeUnit.MICROSECONDS);
  }

  void stop() {
    stopped = true;
    timer.shutdownNow();
  }

  /** Process CPU time, µs: all of it is reported as user time (the JVM does not split it). */
  static long cpuUs() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1000;
    }
    return 0;
  }

}
