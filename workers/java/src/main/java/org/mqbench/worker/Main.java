package org.mqbench.worker;

import com.google.gson.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * Java worker entry: the counterpart of src/workload/worker-main.ts on the same IPC channel.
 * start (once) → ready → tick per second → done, or error then exit 1; begin carries a producer's
 * common start time; stop ends the load (producers) or starts the drain (consumers). When the
 * orchestrator's channel closes the worker stops and exits within ORPHAN_EXIT_GRACE_MS, like ours.
 */
public final class Main {
  private static final long ORPHAN_EXIT_GRACE_MS = 2000;
  private static final CompletableFuture<Double> BEGUN = new CompletableFuture<>();
  private static final CountDownLatch STOP = new CountDownLatch(1);
  private static volatile ProducerWorker producer;
  private static volatile ConsumerWorker consumer;
  private static volatile int workerId = -1;

  private Main() {}

  public static void main(String[] args) throws Exception {
    IpcChannel ipc = IpcChannel.fromEnvironment();
    Thread runner = null;
    for (;;) {
      JsonObject m = ipc.read();
      if (m == null) {
        stopWorker();
        orphanExit();
        return;
      }
      String type = m.has("type") ? m.get("type").getAsString() : "";
      if ("start".equals(type) && runner == null) {
        JsonObject config = m.getAsJsonObject("config");
        runner = new Thread(() -> runWorker(ipc, config), "mqbench-worker");
        runner.start();
      } else if ("begin".equals(type)) {
        BEGUN.complete(m.get("startAtMs").getAsDouble());
      } else if ("stop".equals(type)) {
        stopWorker();
      }
    }
  }

  private static void runWorker(IpcChannel ipc, JsonObject config) {
    try {
      workerId = Json.integer(config, "workerId");
      String role = Json.str(config, "role");
      JsonObject done;
      if ("producer".equals(role)) {
        ProducerWorker w = new ProducerWorker(config, ipc);
        producer = w;
        w.start();
        ready(ipc, role);
        boolean await = config.has("awaitBegin") && config.get("awaitBegin").getAsBoolean();
        done = w.run(await ? BEGUN.get() : null);
      } else if ("consumer".equals(role)) {
        ConsumerWorker w = new ConsumerWorker(config, ipc);
        consumer = w;
        w.start();
        ready(ipc, role);
        done = w.run(STOP);
      } else {
        throw new ConfigException("role must be producer or consumer, got " + role);
      }
      ipc.send(done);
      System.exit(0);
    } catch (Throwable e) {
      JsonObject err = new JsonObject();
      err.addProperty("type", "error");
      err.addProperty("workerId", workerId);
      err.addProperty("code", e instanceof ConfigException ? "CONFIG" : "RUN_BROKE");
      err.addProperty("message", e.getClass().getSimpleName() + ": " + e.getMessage());
      e.printStackTrace();
      ipc.send(err);
      System.exit(1);
    }
  }

  private static void ready(IpcChannel ipc, String role) {
    long upMs = System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    System.err.println("mqbench java " + role + " " + workerId + " ready " + upMs + " ms after JVM start");
    JsonObject r = new JsonObject();
    r.addProperty("type", "ready");
    r.addProperty("role", role);
    r.addProperty("workerId", workerId);
    r.addProperty("pid", ProcessHandle.current().pid());
    ipc.send(r);
  }

  private static void stopWorker() {
    BEGUN.complete(null); // a producer still waiting for begin runs nothing and reports done
    if (producer != null) producer.stop();
    if (consumer != null) consumer.stop();
    STOP.countDown();
  }

  private static void orphanExit() {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(ORPHAN_EXIT_GRACE_MS);
      } catch (InterruptedException e) {
        // exit anyway
      }
      System.exit(1);
    }, "mqbench-orphan-exit");
    t.setDaemon(false);
    t.start();
  }
}
