package org.mqbench.worker;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * The application's listener under a named practice (src/workload/consumer-behaviours), written the
 * way a Java team writes it:
 *
 *   none / ack-after-process / reconsume-later   process each message, then return; a failure sets
 *       the ack index before it, so the client sends it (and the rest of the batch) back through
 *       %RETRY%group, and past maxReconsumeTimes to %DLQ%group
 *   idempotent        ack-after-process plus a durable key table: a redelivery already done is skipped
 *   swallow-errors    a failure returns CONSUME_SUCCESS without the work: each one a loss
 *   ack-before-process  hand the batch to an in-process worker queue and return CONSUME_SUCCESS at
 *       once: the client commits before the work is done, and a kill loses what was queued
 */
final class ConsumerListener implements MessageListenerConcurrently {
  private final String name;
  private final double failureRate;
  private final long processMs;
  private final SeededRandom rng;
  private final Consumer<MessageExt> effect;
  private final Function<MessageExt, Double> keyOf;
  private final java.util.function.Supplier<DefaultMQPushConsumer> consumer;
  private final BooleanSupplier stopping;
  private final IdempotencyStore idempotency;
  /**
   * ack-before-process's hand-off to the application's own workers: an unbounded queue, the usual
   * shape of this mistake. The client commits each batch as soon as it is queued and persists that
   * offset every persistConsumerOffsetInterval, so what a kill loses is the queued work older than
   * the last persisted offset: none while processing keeps up, much when it falls behind.
   */
  private final LinkedBlockingQueue<MessageExt> local = new LinkedBlockingQueue<>();
  private static final int APP_THREADS = 4;
  private final Thread[] localWorkers;
  private final java.util.concurrent.atomic.AtomicInteger localBusy = new java.util.concurrent.atomic.AtomicInteger();
  private final long[] counts = new long[6];

  ConsumerListener(JsonObject behaviour, SeededRandom rng, Consumer<MessageExt> effect, Function<MessageExt, Double> keyOf,
      java.util.function.Supplier<DefaultMQPushConsumer> consumer, BooleanSupplier stopping) throws java.io.IOException {
    this.name = behaviour == null ? "none" : Json.str(behaviour, "name");
    this.failureRate = behaviour != null && behaviour.has("failureRate") ? behaviour.get("failureRate").getAsDouble() : 0;
    this.processMs = behaviour != null && behaviour.has("processMs") ? behaviour.get("processMs").getAsLong() : 0;
    this.rng = rng;
    this.effect = effect;
    this.keyOf = keyOf;
    this.consumer = consumer;
    this.stopping = stopping;
    boolean known = java.util.Arrays.asList("none", "ack-after-process", "ack-before-process", "swallow-errors", "reconsume-later", "idempotent").contains(name);
    if (!known) throw new ConfigException("unknown consumer behaviour '" + name + "'");
    String store = behaviour != null && behaviour.has("idempotencyStorePath") ? Json.str(behaviour, "idempotencyStorePath") : null;
    idempotency = "idempotent".equals(name) && store != null ? new IdempotencyStore(java.nio.file.Paths.get(store)) : null;
    if ("idempotent".equals(name) && idempotency == null) throw new ConfigException("idempotent consumer needs behaviour.idempotencyStorePath");
    localWorkers = new Thread[APP_THREADS];
    if ("ack-before-process".equals(name)) for (int i = 0; i < APP_THREADS; i++) localWorkers[i] = startLocalWorker(i);
  }

  boolean hasBehaviour() {
    return !"none".equals(name);
  }

  @Override
  public ConsumeConcurrentlyStatus consumeMessage(List<MessageExt> msgs, ConsumeConcurrentlyContext context) {
    if (localWorkers[0] != null) {
      local.addAll(msgs);
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS; // the anti-pattern: "done" before any of the work
    }
    for (int i = 0; i < msgs.size(); i++) {
      if (processMs > 0) sleep(processMs);
      if (!fails()) {
        succeed(msgs.get(i));
        continue;
      }
      count(1);
      if ("swallow-errors".equals(name)) {
        count(2);
        continue;
      }
      count(3);
      // Messages before i are done; i and the rest go back through %RETRY% (the client's send-back).
      if (i == 0) return ConsumeConcurrentlyStatus.RECONSUME_LATER;
      context.setAckIndex(i - 1);
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    }
    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
  }

  private boolean fails() {
    return failureRate > 0 && rng.next() < failureRate;
  }

  private void succeed(MessageExt m) {
    Double key = idempotency != null ? keyOf.apply(m) : null;
    if (key != null && idempotency.has(key)) {
      count(5);
      return;
    }
    effect.accept(m);
    if (key != null) idempotency.add(key);
    count(0);
  }

  /** ack-before-process: the application's own worker, processing after the client already committed. */
  private Thread startLocalWorker(int index) {
    Thread t = new Thread(() -> {
      for (;;) {
        MessageExt m;
        try {
          m = local.take();
        } catch (InterruptedException e) {
          return;
        }
        localBusy.incrementAndGet();
        if (processMs > 0) sleep(processMs);
        if (!fails()) {
          succeed(m);
        } else {
          count(1);
          try {
            consumer.get().sendMessageBack(m, 0); // delay level 0: the broker picks 3 + reconsumeTimes
            count(3);
          } catch (Exception e) {
            count(4); // committed already and not handed back: lost
          }
        }
        localBusy.decrementAndGet();
      }
    }, "mqbench-app-worker-" + index);
    t.setDaemon(true);
    t.start();
    return t;
  }

  int localBacklog() {
    return local.size() + localBusy.get();
  }

  /**
   * At stop: the application works its queue off until the drain deadline; what is still queued then
   * was committed and is never processed (lost, as when such an application shuts down).
   */
  void finishLocalWork(long deadlineMs) throws InterruptedException {
    if (localWorkers[0] == null) return;
    while (localBacklog() > 0 && System.currentTimeMillis() < deadlineMs) Thread.sleep(10);
    local.clear();
    for (Thread t : localWorkers) t.interrupt();
  }

  void close() {
    if (idempotency != null) idempotency.close();
  }

  private synchronized void count(int i) {
    counts[i]++;
  }

  synchronized JsonObject countsJson() {
    String[] names = {"processed", "failed", "swallowed", "sentBack", "sendBackFailed", "skippedDuplicates"};
    JsonObject o = new JsonObject();
    for (int i = 0; i < names.length; i++) o.addProperty(names[i], counts[i]);
    return o;
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
