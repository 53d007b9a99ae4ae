package org.mqbench.worker;

import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A producer's measurements as src/workload/producer-stats.ts keeps them: interval counters and
 * histograms for ticks, measured-window totals for done, warm-up counted apart and kept out of every
 * histogram. intended → ack (coordinated-omission corrected) and send start → ack (service time).
 */
final class ProducerStats {
  private SendCounters interval = new SendCounters();
  private final SendCounters measured = new SendCounters();
  private final SendCounters warmup = new SendCounters();
  private final Latency send = new Latency();
  private final Latency service = new Latency();
  private final Map<String, Latency> byStatus = new LinkedHashMap<>();
  private long droppedSeen;

  synchronized void ack(String status, double intendedMs, double startMs, double ackMs, int retries, boolean inWindow) {
    int i = SendCounters.statusIndex(status);
    interval.status[i]++;
    interval.retries += retries;
    SendCounters total = inWindow ? measured : warmup;
    total.status[i]++;
    total.retries += retries;
    if (!inWindow) return;
    double us = (ackMs - intendedMs) * 1000;
    send.recordUs(us);
    service.recordUs((ackMs - startMs) * 1000);
    byStatus.computeIfAbsent(status, (s) -> new Latency()).recordUs(us);
  }

  synchronized void oneway(double startMs, double writtenMs, boolean inWindow) {
    if (inWindow) service.recordUs((writtenMs - startMs) * 1000);
  }

  synchronized void error(SendErrors.Classified e, int retries, boolean inWindow) {
    interval.error(e);
    interval.retries += retries;
    SendCounters total = inWindow ? measured : warmup;
    total.error(e);
    total.retries += retries;
  }

  synchronized void dropped(long totalDropped, boolean inWindow) {
    long delta = totalDropped - droppedSeen;
    if (delta <= 0) return;
    droppedSeen = totalDropped;
    interval.dropped += delta;
    (inWindow ? measured : warmup).dropped += delta;
  }

  synchronized JsonObject takeTick() {
    JsonObject o = new JsonObject();
    o.add("counts", interval.toJson());
    interval = new SendCounters();
    o.addProperty("sendHist", send.takeInterval());
    o.addProperty("serviceHist", service.takeInterval());
    JsonObject s = new JsonObject();
    byStatus.forEach((k, v) -> s.addProperty(k, v.takeInterval()));
    o.add("byStatus", s);
    return o;
  }

  synchronized JsonObject totals() {
    JsonObject o = new JsonObject();
    o.add("counts", measured.toJson());
    o.add("warmupCounts", warmup.toJson());
    o.addProperty("sendHist", send.encodeTotal());
    o.addProperty("serviceHist", service.encodeTotal());
    JsonObject s = new JsonObject();
    byStatus.forEach((k, v) -> s.addProperty(k, v.encodeTotal()));
    o.add("byStatus", s);
    return o;
  }
}
