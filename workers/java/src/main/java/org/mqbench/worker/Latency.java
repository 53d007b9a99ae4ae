package org.mqbench.worker;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.Deflater;
import org.HdrHistogram.Histogram;

/**
 * Interval and cumulative latency histograms with the ranges of src/metrics/histograms.ts (µs,
 * 1..60 s, 3 significant digits), shipped as HdrHistogram's compressed base64 form, which the
 * orchestrator's hdr-histogram-js decodes and merges with the TypeScript workers' own.
 */
final class Latency {
  private static final long HIGHEST_US = 60_000_000L;
  private final Histogram interval = newHistogram();
  private final Histogram total = newHistogram();

  static Histogram newHistogram() {
    return new Histogram(1, HIGHEST_US, 3);
  }

  synchronized void recordUs(double us) {
    if (Double.isNaN(us)) return;
    interval.recordValue(Math.round(Math.max(0, Math.min(HIGHEST_US, us))));
  }

  synchronized String takeInterval() {
    String s = encode(interval);
    total.add(interval);
    interval.reset();
    return s;
  }

  synchronized String encodeTotal() {
    Histogram snapshot = total.copy();
    snapshot.add(interval);
    return encode(snapshot);
  }

  static String encode(Histogram h) {
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int n = h.encodeIntoCompressedByteBuffer(buf, Deflater.DEFAULT_COMPRESSION);
    byte[] bytes = new byte[n];
    buf.rewind();
    buf.get(bytes, 0, n);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
