package org.mqbench.worker;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.impl.consumer.DefaultMQPushConsumerImpl;
import org.apache.rocketmq.client.impl.factory.MQClientInstance;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * The official push consumer rebalances at start only when its first heartbeat reached a broker. It
 * does not when the client's own scheduled heartbeat holds the heartbeat lock at that moment, or when
 * the topic's route was not yet known; then the next rebalance comes after
 * rocketmq.client.rebalance.waitInterval (20 s) and the route after pollNameServerInterval (30 s),
 * longer than a short run's load and drain together. While the consumer holds no queue of its topic
 * this does, once a second, what start would have done: fetch the route, heartbeat, rebalance now.
 * A consumer that holds nothing because its group has more consumers than queues costs one route
 * lookup and one heartbeat a second.
 */
final class RebalanceNudge implements AutoCloseable {
  private static final long PERIOD_MS = 1000;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "mqbench-rebalance-nudge");
    t.setDaemon(true);
    return t;
  });
  private final Supplier<DefaultMQPushConsumer> consumer;
  private final String topic;
  private final BooleanSupplier stopping;
  private volatile int nudges;
  private boolean reported;

  RebalanceNudge(Supplier<DefaultMQPushConsumer> consumer, String topic, BooleanSupplier stopping) {
    this.consumer = consumer;
    this.topic = topic;
    this.stopping = stopping;
    timer.scheduleWithFixedDelay(this::check, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  /** How many times the consumer was nudged. */
  int nudges() {
    return nudges;
  }

  private void check() {
    if (stopping.getAsBoolean()) return;
    DefaultMQPushConsumerImpl impl = consumer.get().getDefaultMQPushConsumerImpl();
    int held = heldQueues(impl);
    if (held > 0) {
      if (nudges > 0 && !reported) {
        reported = true;
        System.err.println("mqbench java consumer holds " + held + " queue(s) of " + topic + " after " + nudges + " rebalance nudge(s)");
      }
      return;
    }
    MQClientInstance client = impl.getmQClientFactory();
    if (client == null) return;
    try {
      client.updateTopicRouteInfoFromNameServer(topic);
      client.sendHeartbeatToAllBrokerWithLock();
      client.rebalanceImmediately();
      nudges++;
    } catch (RuntimeException e) {
      // a namesrv or broker that does not answer now: the next second tries again
    }
  }

  private int heldQueues(DefaultMQPushConsumerImpl impl) {
    int held = 0;
    for (MessageQueue mq : impl.getRebalanceImpl().getProcessQueueTable().keySet()) {
      if (topic.equals(mq.getTopic())) held++;
    }
    return held;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
