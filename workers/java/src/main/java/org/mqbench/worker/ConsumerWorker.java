package org.mqbench.worker;

import com.google.gson.JsonObject;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.store.ReadOffsetType;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * One consumer process on DefaultMQPushConsumer. Every processed message is written to the delivery
 * ledger (flushed before the listener returns, so before the client may commit it); the practice
 * (ack-after-process, ack-before-process, ...) lives in ConsumerListener. On stop the worker waits
 * until the client's own committed offset of every queue it holds reaches that queue's max offset at
 * stop time (bounded by drainTimeoutMs), then shuts the client down, which persists the offsets.
 */
final class ConsumerWorker {
  private static final int RETRY_TOPIC_INDEX = 1;
  private static final int START_ATTEMPTS = 5;
  private final JsonObject c;
  private final IpcChannel ipc;
  private volatile DefaultMQPushConsumer consumer;
  private final Ledger ledger;
  private final Latency e2e = new Latency();
  private final ConsumerListener listener;
  private final String runId;
  private final double measureFromMs;
  private final WorkerClock clock;
  private final Object countLock = new Object();
  private long[] interval = new long[4];
  private final long[] total = new long[4];
  private volatile boolean stopping;
  private int undrained;
  private RebalanceNudge nudge;

  ConsumerWorker(JsonObject config, IpcChannel ipc) throws Exception {
    this.c = config;
    this.ipc = ipc;
    runId = Json.str(c, "runId");
    measureFromMs = c.has("measureFromMs") ? c.get("measureFromMs").getAsDouble() : WorkerClock.nowMs();
    clock = new WorkerClock(() -> measureFromMs);
    consumer = newConsumer(); // settings are checked now, before anything is ledgered
    ledger = Ledger.delivery(Paths.get(Json.str(c, "ledgerPath")));
    JsonObject behaviour = Json.obj(c, "behaviour");
    int seed = c.has("seed") ? (int) c.get("seed").getAsLong() : 1;
    SeededRandom rng = new SeededRandom(seed ^ (int) ((Json.integer(c, "workerId") + 1) * 0x85ebca6bL));
    listener = new ConsumerListener(behaviour, rng, this::deliver, this::keyOf, () -> consumer, () -> stopping);
  }

  private DefaultMQPushConsumer newConsumer() throws Exception {
    DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(Json.str(c, "consumerGroup"));
    consumer.setNamesrvAddr(Json.str(c, "namesrvAddr"));
    consumer.setInstanceName(Json.str(c, "clientId").replace('@', '-'));
    consumer.setVipChannelEnabled(false);
    // A new group reads the topic from its start, as the TypeScript consumer does: nothing sent before it joined is skipped.
    consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
    consumer.setPersistConsumerOffsetInterval(1000);
    // A 5.x rebalance raises the subscription version and tells the broker in a heartbeat; when that heartbeat
    // loses the client's heartbeat lock (start's own heartbeat holds it), the broker answers every pull
    // SUBSCRIPTION_NOT_LATEST until the next scheduled heartbeat, 30 s later by default: a CI run's consumer
    // received 0 of 2,000 messages. Once a second bounds that to a second.
    consumer.setHeartbeatBrokerInterval(1000);
    if (c.has("pullBatchSize")) consumer.setPullBatchSize(Json.integer(c, "pullBatchSize"));
    JsonObject behaviour = Json.obj(c, "behaviour");
    if (behaviour != null && behaviour.has("maxReconsumeTimes")) consumer.setMaxReconsumeTimes(Json.integer(behaviour, "maxReconsumeTimes"));
    ClientSettings.apply(consumer, Json.obj(c, "clientSettings"), ClientSettings.CONSUMER_KEYS, "consumer");
    consumer.subscribe(Json.str(c, "topic"), "*");
    return consumer;
  }

  /**
   * A start can fail on a namesrv request that times out while several JVMs start at once on a small
   * machine; a failed DefaultMQPushConsumer cannot start again, so a fresh one is tried.
   */
  void start() throws Exception {
    for (int attempt = 1; ; attempt++) {
      consumer.registerMessageListener(listener);
      try {
        consumer.start();
        nudge = new RebalanceNudge(() -> consumer, Json.str(c, "topic"), () -> stopping);
        return;
      } catch (Exception e) {
        if (attempt >= START_ATTEMPTS) throw e;
        System.err.println("consumer start failed (attempt " + attempt + "), retrying with a fresh client: " + e);
        consumer.shutdown();
        Thread.sleep(1000);
        consumer = newConsumer();
      }
    }
  }

  JsonObject run(java.util.concurrent.CountDownLatch stopRequested) throws Exception {
    clock.start((k) -> {
      emitTick(stopping ? "drain" : k < 0 ? "warmup" : "load", k);
      return true;
    });
    stopRequested.await();
    long deadline = System.currentTimeMillis() + (c.has("drainTimeoutMs") ? c.get("drainTimeoutMs").getAsLong() : 30_000);
    drain(deadline);
    listener.finishLocalWork(deadline);
    nudge.close();
    clock.stop();
    consumer.shutdown(); // persists every queue's offset to the broker
    ledger.close();
    listener.close();
    emitTick("drain", clock.pendingSecond());
    JsonObject counts = countsJson(total);
    JsonObject done = new JsonObject();
    done.addProperty("type", "done");
    done.addProperty("role", "consumer");
    done.addProperty("workerId", Json.integer(c, "workerId"));
    done.addProperty("t", clock.secondsSinceMeasure());
    done.addProperty("phase", "drain");
    done.add("counts", counts);
    done.addProperty("e2eHist", e2e.encodeTotal());
    done.addProperty("undrainedQueues", undrained);
    if (listener.hasBehaviour()) done.add("behaviourCounts", listener.countsJson());
    done.addProperty("cpuUserUs", WorkerClock.cpuUs());
    done.addProperty("cpuSystemUs", 0);
    return done;
  }

  void stop() {
    stopping = true;
  }

  /** Waits until the client's committed offset of each held queue reaches its max offset at stop time. */
  private void drain(long deadline) throws InterruptedException {
    Set<MessageQueue> held = consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable().keySet();
    Map<MessageQueue, Long> targets = new HashMap<>();
    for (MessageQueue mq : held) {
      try {
        targets.put(mq, consumer.maxOffset(mq));
      } catch (Exception e) {
        targets.put(mq, -1L); // broker down: drain until the deadline
      }
    }
    while (System.currentTimeMillis() < deadline) {
      int behind = 0;
      for (Map.Entry<MessageQueue, Long> t : targets.entrySet()) {
        long at = consumer.getDefaultMQPushConsumerImpl().getOffsetStore().readOffset(t.getKey(), ReadOffsetType.READ_FROM_MEMORY);
        if (t.getValue() < 0 || at < t.getValue()) behind++;
      }
      undrained = behind; // what is still behind when the deadline ends the loop
      if (behind == 0 && listener.localBacklog() == 0) return;
      Thread.sleep(20);
    }
  }

  private Double keyOf(MessageExt m) {
    MessageIdentity id = MessageIdentity.read(m.getProperties());
    return id != null && runId.equals(id.runId) ? MessageIdentity.key(id.producerId, id.seq) : null;
  }

  /** The effect of processing m: one delivery-ledger record, on file before the listener returns. */
  private void deliver(MessageExt m) {
    double deliveredMs = System.currentTimeMillis();
    MessageIdentity id = MessageIdentity.read(m.getProperties());
    boolean ours = id != null && runId.equals(id.runId);
    boolean crcOk = !ours || MessageIdentity.crc32(m.getBody()) == id.bodyCrc;
    int topic = m.getProperty("RETRY_TOPIC") != null ? RETRY_TOPIC_INDEX : 0;
    ledger.delivery(ours ? id.producerId : MessageIdentity.NOT_OURS, ours ? id.seq : 0, m.getQueueId(), m.getQueueOffset(), 0,
        m.getReconsumeTimes(), crcOk, deliveredMs, m.getBornTimestamp(), m.getStoreTimestamp(), topic);
    ledger.flush();
    synchronized (countLock) {
      interval[0]++;
      if (!ours) interval[2]++;
      else if (!crcOk) interval[1]++;
    }
    if (ours && id.intendedMs >= measureFromMs) e2e.recordUs((deliveredMs - m.getBornTimestamp()) * 1000);
  }

  private void emitTick(String phase, long t) {
    long[] counts;
    synchronized (countLock) {
      counts = interval;
      interval = new long[4];
      for (int i = 0; i < 4; i++) total[i] += counts[i];
    }
    JsonObject tick = new JsonObject();
    tick.addProperty("type", "tick");
    tick.addProperty("role", "consumer");
    tick.addProperty("workerId", Json.integer(c, "workerId"));
    tick.addProperty("t", t);
    tick.addProperty("phase", phase);
    tick.add("counts", countsJson(counts));
    tick.addProperty("e2eHist", e2e.takeInterval());
    ipc.send(tick);
  }

  private static JsonObject countsJson(long[] v) {
    JsonObject o = new JsonObject();
    o.addProperty("consumed", v[0]);
    o.addProperty("corrupt", v[1]);
    o.addProperty("foreign", v[2]);
    o.addProperty("pullErrors", v[3]);
    return o;
  }

}
