package org.mqbench.worker;

import com.google.gson.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/** src/metrics/counters.ts SendCounters, the JSON shape the orchestrator sums. */
final class SendCounters {
  static final String[] STATUSES = {"SEND_OK", "FLUSH_DISK_TIMEOUT", "FLUSH_SLAVE_TIMEOUT", "SLAVE_NOT_AVAILABLE"};
  final long[] status = new long[4];
  long timeout;
  long connection;
  final Map<String, Long> broker = new TreeMap<>();
  long retries;
  long dropped;

  static int statusIndex(String name) {
    for (int i = 0; i < STATUSES.length; i++) if (STATUSES[i].equals(name)) return i;
    throw new IllegalArgumentException("unknown SendStatus " + name);
  }

  void error(SendErrors.Classified e) {
    if (e.kind == SendErrors.Kind.TIMEOUT) timeout++;
    else if (e.kind == SendErrors.Kind.CONNECTION) connection++;
    else broker.merge(e.brokerErrorName, 1L, Long::sum);
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    for (int i = 0; i < STATUSES.length; i++) o.addProperty(STATUSES[i], status[i]);
    JsonObject errors = new JsonObject();
    errors.addProperty("timeout", timeout);
    errors.addProperty("connection", connection);
    JsonObject b = new JsonObject();
    broker.forEach(b::addProperty);
    errors.add("broker", b);
    o.add("errors", errors);
    o.addProperty("retries", retries);
    o.addProperty("dropped", dropped);
    return o;
  }
}
