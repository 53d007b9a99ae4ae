package org.mqbench.worker;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * One producer process on DefaultMQProducer, driven like src/workload/producer-worker.ts: the
 * open-loop schedule hands out due sends, their START records reach the ledger file before any of
 * them is issued, OUTCOME records follow the client's answer (flushed every 100 ms). maxInFlight
 * bounds outstanding sends: concurrent senders for sync and oneway, the callback window for async.
 * With an outbox (config.outbox.path) each message is written PENDING to the table before its START
 * record and SUCCESS after SEND_OK, and start() first re-sends what a killed incarnation left PENDING,
 * as src/workload/outbox/compensator.ts does.
 */
final class ProducerWorker {
  private static final int FLUSH_INTERVAL_MS = 100;
  private final JsonObject c;
  private final IpcChannel ipc;
  private volatile DefaultMQProducer producer;
  private final Ledger ledger;
  private final ProducerStats stats = new ProducerStats();
  private final SeededRandom rng;
  private final String sendMode;
  private final int maxInFlight;
  private final Semaphore slots;
  private final ExecutorService senders;
  private final List<MessageQueue> queues = new ArrayList<>();
  private final BrokerNames brokerNames;
  private final WorkerClock clock;
  private final SendAttempts attempts = new SendAttempts();
  private final long producerId;
  private Outbox outbox;
  private int outboxResent;
  private volatile boolean stopping;
  private volatile boolean flusherDone;
  private volatile double measureFromMs;
  private long nextSeq;
  private long startedInterval;
  private long startedMeasured;
  private double maxStartLagMs;

  ProducerWorker(JsonObject config, IpcChannel ipc) throws Exception {
    this.c = config;
    this.ipc = ipc;
    sendMode = Json.str(c, "sendMode");
    if (!List.of("sync", "async", "oneway").contains(sendMode)) throw new ConfigException("sendMode must be sync, async or oneway, got " + sendMode);
    if (c.has("outbox") && "oneway".equals(sendMode)) throw new ConfigException("an outbox needs sync or async sends (oneway never learns SEND_OK)");
    maxInFlight = Json.integer(c, "maxInFlight");
    slots = new Semaphore(maxInFlight);
    senders = "async".equals(sendMode) ? null : Executors.newFixedThreadPool(Math.min(maxInFlight, 256));
    producerId = Json.u32(c, "producerId");
    rng = new SeededRandom((int) c.get("seed").getAsLong() ^ (int) ((producerId + 1) * 0x9e3779b1L));
    clock = new WorkerClock(() -> measureFromMs);
    producer = newProducer();
    if (c.has("queues")) {
      for (var q : c.getAsJsonArray("queues")) {
        JsonObject o = q.getAsJsonObject();
        queues.add(new MessageQueue(Json.str(o, "topic"), Json.str(o, "brokerName"), Json.integer(o, "queueId")));
      }
    }
    ledger = Ledger.producer(Paths.get(Json.str(c, "ledgerPath")));
    brokerNames = new BrokerNames(Paths.get(Json.str(c, "ledgerPath") + ".brokers.json"));
  }

  /** As ConsumerWorker.start: a namesrv hiccup while JVMs start together is retried with a fresh client. */
  void start() throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        producer.start();
        break;
      } catch (Exception e) {
        if (attempt >= 5) throw e;
        System.err.println("producer start failed (attempt " + attempt + "), retrying: " + e);
        producer.shutdown();
        Thread.sleep(1000);
        producer = newProducer();
      }
    }
    // Learn the route before reporting ready, so the first scheduled send does not wait on namesrv.
    producer.fetchPublishMessageQueues(Json.str(c, "topic"));
    if (c.has("outbox")) resendOutbox(Paths.get(Json.str(Json.obj(c, "outbox"), "path")));
  }

  /**
   * The outbox's relay after a crash: every entry still PENDING is sent again, synchronously, with the
   * same identity and body, and marked SUCCESS on SEND_OK; a failure leaves it PENDING. Its outcomes
   * go to this incarnation's ledger under the producer id that first started them.
   */
  private void resendOutbox(Path path) throws Exception {
    // Read what a crashed incarnation left PENDING before this one appends its own entries.
    List<Outbox.Entry> pending = Outbox.readPending(path);
    outbox = new Outbox(path);
    for (Outbox.Entry e : pending) {
      try {
        SendResult r = producer.send(message(e.producerId, e.seq, e.intendedMs, e.body));
        ledgerAck(e.producerId, e.seq, e.intendedMs, r);
        if (r.getSendStatus() == SendStatus.SEND_OK) {
          outbox.success(e.producerId, e.seq);
          outboxResent++;
        }
      } catch (Exception err) {
        ledgerError(e.producerId, e.seq, e.intendedMs, SendErrors.classify(err));
      }
    }
    ledger.flush();
  }

  private DefaultMQProducer newProducer() {
    // Only the hook that can see more than one attempt in this mode (SendAttempts): each costs a little per send.
    boolean async = "async".equals(sendMode);
    DefaultMQProducer producer = async ? new DefaultMQProducer(Json.str(c, "producerGroup"), attempts) : new DefaultMQProducer(Json.str(c, "producerGroup"));
    if ("sync".equals(sendMode) || c.has("outbox")) producer.getDefaultMQProducerImpl().registerSendMessageHook(attempts);
    producer.setNamesrvAddr(Json.str(c, "namesrvAddr"));
    producer.setInstanceName("mqbench-producer-" + producerId + "-" + ProcessHandle.current().pid());
    producer.setVipChannelEnabled(false);
    if (c.has("sendMsgTimeout")) producer.setSendMsgTimeout(Json.integer(c, "sendMsgTimeout"));
    if (c.has("retryTimesWhenSendFailed")) producer.setRetryTimesWhenSendFailed(Json.integer(c, "retryTimesWhenSendFailed"));
    ClientSettings.apply(producer, Json.obj(c, "clientSettings"), ClientSettings.PRODUCER_KEYS, "producer");
    return producer;
  }

  void stop() {
    stopping = true;
  }

  /** Runs the schedule to its end (or stop), waits for outstanding sends, returns the done message. */
  JsonObject run(Double beginAtMs) throws Exception {
    double startMs = beginAtMs != null ? beginAtMs : c.has("startAtMs") ? c.get("startAtMs").getAsDouble() : WorkerClock.nowMs();
    double warmupMs = c.get("warmupMs").getAsDouble();
    measureFromMs = startMs + warmupMs;
    ArrivalSchedule schedule = new ArrivalSchedule(c.get("ratePerSec").getAsDouble(), startMs, warmupMs + c.get("durationMs").getAsDouble(),
        c.has("maxBacklogMs") ? c.get("maxBacklogMs").getAsDouble() : 1000);
    Thread flusher = new Thread(() -> {
      while (!flusherDone) {
        LockSupport.parkNanos(FLUSH_INTERVAL_MS * 1_000_000L);
        ledger.flush();
      }
    }, "mqbench-ledger-flush");
    flusher.setDaemon(true);
    flusher.start();
    clock.start((k) -> {
      if (stopping) return false;
      stats.dropped(schedule.dropped(), k >= 0);
      emitTick(k < 0 ? "warmup" : "load", k);
      return true;
    });
    pace(schedule);
    slots.acquire(maxInFlight); // every outstanding send has settled
    clock.stop();
    flusherDone = true;
    flusher.join();
    ledger.close();
    if (outbox != null) outbox.close();
    long last = clock.pendingSecond();
    stats.dropped(schedule.dropped(), last >= 0);
    emitTick(last < 0 ? "warmup" : "load", last);
    producer.shutdown();
    if (senders != null) senders.shutdown();
    JsonObject done = stats.totals();
    done.addProperty("type", "done");
    done.addProperty("role", "producer");
    done.addProperty("workerId", Json.integer(c, "workerId"));
    done.addProperty("t", clock.secondsSinceMeasure());
    done.addProperty("phase", "load");
    done.addProperty("attempted", nextSeq);
    done.addProperty("started", startedMeasured);
    done.addProperty("maxStartLagMs", maxStartLagMs);
    done.add("brokerNames", brokerNames.toJson());
    done.addProperty("cpuUserUs", WorkerClock.cpuUs());
    done.addProperty("cpuSystemUs", 0);
    if (outbox != null) done.addProperty("outboxResent", outboxResent);
    return done;
  }

  /** The pacer: each wake-up starts every due send a free slot allows, then sleeps to the next due one. */
  private void pace(ArrivalSchedule schedule) throws InterruptedException {
    double[] batch = new double[maxInFlight];
    while (!stopping) {
      double now = WorkerClock.nowMs();
      int n = schedule.take(now, slots.availablePermits(), batch);
      if (n > 0) startBatch(batch, n, now);
      now = WorkerClock.nowMs();
      if (schedule.finished(now)) return;
      if (slots.availablePermits() == 0) {
        // All slots busy: wait for one to free (a short park keeps stop() prompt).
        if (slots.tryAcquire(10, TimeUnit.MILLISECONDS)) slots.release();
        continue;
      }
      double next = schedule.nextDueMs(now);
      if (Double.isNaN(next)) return;
      if (next > now) LockSupport.parkNanos((long) Math.min(10_000_000, (next - now) * 1e6));
    }
  }

  private void startBatch(double[] intended, int n, double now) {
    maxStartLagMs = Math.max(maxStartLagMs, now - intended[0]);
    long[] seqs = new long[n];
    byte[][] bodies = new byte[n][];
    int size = Json.integer(c, "bodySizeBytes");
    for (int i = 0; i < n; i++) {
      seqs[i] = nextSeq++;
      bodies[i] = MessageIdentity.buildBody(size, producerId, seqs[i], intended[i], rng);
      // The outbox row first: a kill between the two must never leave a started message it cannot resend.
      if (outbox != null) outbox.pending(producerId, seqs[i], intended[i], bodies[i]);
      ledger.start(producerId, seqs[i], intended[i]);
    }
    ledger.flush();
    for (int i = 0; i < n; i++) {
      slots.acquireUninterruptibly();
      issue(intended[i], seqs[i], bodies[i]);
    }
  }

  private Message message(long pid, long seq, double intendedMs, byte[] body) {
    return MessageIdentity.message(Json.str(c, "topic"), c.has("tags") ? Json.str(c, "tags") : null, Json.str(c, "runId"), pid, seq, intendedMs, body);
  }

  private void issue(double intendedMs, long seq, byte[] body) {
    Message msg = message(producerId, seq, intendedMs, body);
    MessageQueue mq = queues.isEmpty() ? null : queues.get((int) (seq % queues.size()));
    boolean inWindow = intendedMs >= measureFromMs;
    double startMs = WorkerClock.nowMs();
    synchronized (this) {
      startedInterval++;
      if (startMs >= measureFromMs) startedMeasured++;
    }
    if ("async".equals(sendMode)) {
      SendCallback cb = new SendCallback() {
        @Override public void onSuccess(SendResult r) {
          settle(() -> recordAck(seq, intendedMs, startMs, r, inWindow));
        }
        @Override public void onException(Throwable e) {
          settle(() -> recordError(seq, intendedMs, e, inWindow));
        }
      };
      try {
        if (mq == null) producer.send(msg, cb);
        else producer.send(msg, mq, cb);
      } catch (Exception e) {
        settle(() -> recordError(seq, intendedMs, e, inWindow));
      }
      return;
    }
    senders.execute(() -> settle(() -> {
      try {
        if ("oneway".equals(sendMode)) {
          if (mq == null) producer.sendOneway(msg);
          else producer.sendOneway(msg, mq);
          stats.oneway(startMs, WorkerClock.nowMs(), inWindow); // nothing known about storage: no OUTCOME
          attempts.take(producerId, seq);
        } else {
          recordAck(seq, intendedMs, startMs, mq == null ? producer.send(msg) : producer.send(msg, mq), inWindow);
        }
      } catch (Exception e) {
        recordError(seq, intendedMs, e, inWindow);
      }
    }));
  }

  private void settle(Runnable r) {
    try {
      r.run();
    } finally {
      slots.release();
    }
  }

  private void recordAck(long seq, double intendedMs, double startMs, SendResult r, boolean inWindow) {
    int retries = ledgerAck(producerId, seq, intendedMs, r);
    if (outbox != null && r.getSendStatus() == SendStatus.SEND_OK) outbox.success(producerId, seq);
    stats.ack(r.getSendStatus().name(), intendedMs, startMs, WorkerClock.nowMs(), retries, inWindow);
  }

  private void recordError(long seq, double intendedMs, Throwable e, boolean inWindow) {
    SendErrors.Classified k = SendErrors.classify(e);
    stats.error(k, ledgerError(producerId, seq, intendedMs, k), inWindow);
  }

  /** The OUTCOME of a send that got a SendStatus; returns its retries (attempts - 1, see SendAttempts). */
  private int ledgerAck(long pid, long seq, double intendedMs, SendResult r) {
    int retries = attempts.take(pid, seq) - 1;
    MessageQueue q = r.getMessageQueue();
    ledger.outcome(pid, seq, SendCounters.statusIndex(r.getSendStatus().name()), null, retries, q.getQueueId(), r.getQueueOffset(),
        intendedMs, WorkerClock.nowMs(), brokerNames.indexOf(q.getBrokerName()));
    return retries;
  }

  private int ledgerError(long pid, long seq, double intendedMs, SendErrors.Classified k) {
    int retries = attempts.take(pid, seq) - 1;
    ledger.outcome(pid, seq, k.outcome, k.brokerCode, retries, null, null, intendedMs, WorkerClock.nowMs(), null);
    return retries;
  }

  private void emitTick(String phase, long t) {
    JsonObject tick = stats.takeTick();
    long started;
    synchronized (this) {
      started = startedInterval;
      startedInterval = 0;
    }
    tick.addProperty("type", "tick");
    tick.addProperty("role", "producer");
    tick.addProperty("workerId", Json.integer(c, "workerId"));
    tick.addProperty("t", t);
    tick.addProperty("phase", phase);
    tick.addProperty("started", started);
    ipc.send(tick);
  }
}
