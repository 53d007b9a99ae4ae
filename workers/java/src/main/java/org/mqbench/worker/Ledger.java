package org.mqbench.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The binary ledgers of src/recorder/ledger, written from Java: a 16-byte header (magic, version 1,
 * record size, 0) and fixed little-endian records. Producer records are 48 bytes ('S' start / 'O'
 * outcome), delivery records 56 bytes ('D'). Layouts are documented in producer-ledger.ts and
 * delivery-ledger.ts; test/fixtures/ledger-vector keeps the two writers in step.
 */
final class Ledger implements AutoCloseable {
  static final int PRODUCER_RECORD = 48;
  static final int DELIVERY_RECORD = 56;
  private static final int VERSION = 1;
  private static final int CAPACITY = 4096;

  // A stream, not a FileChannel: an interrupted thread would close a channel mid-write and lose the ledger's tail.
  private final FileOutputStream out;
  private final ByteBuffer buf;
  private final int recordBytes;
  private boolean closed;

  private Ledger(Path path, String magic, int recordBytes) throws IOException {
    this.recordBytes = recordBytes;
    boolean fresh = !Files.exists(path) || Files.size(path) == 0;
    out = new FileOutputStream(path.toFile(), true);
    buf = ByteBuffer.allocate(16 + CAPACITY * recordBytes).order(ByteOrder.LITTLE_ENDIAN);
    if (fresh) {
      buf.put(magic.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).putInt(VERSION).putInt(recordBytes).putInt(0);
    }
  }

  static Ledger producer(Path path) throws IOException {
    return new Ledger(path, "MQBP", PRODUCER_RECORD);
  }

  static Ledger delivery(Path path) throws IOException {
    return new Ledger(path, "MQBD", DELIVERY_RECORD);
  }

  private int reserve() {
    if (closed) throw new IllegalStateException("ledger write after close");
    if (buf.remaining() < recordBytes) flush();
    int p = buf.position();
    for (int i = 0; i < recordBytes; i++) buf.put(p + i, (byte) 0);
    buf.position(p + recordBytes);
    return p;
  }

  /** START: flush before issuing the send, so a kill -9 never makes a stored message look unattempted. */
  synchronized void start(long producerId, long seq, double intendedMs) {
    int p = reserve();
    buf.put(p, (byte) 'S').putInt(p + 4, (int) producerId).putInt(p + 8, (int) seq).putDouble(p + 32, intendedMs);
  }

  /** OUTCOME; a null field is absent (its presence bit stays clear), as in ProducerLedgerWriter.outcome. */
  synchronized void outcome(long producerId, long seq, int outcome, Integer brokerCode, Integer retries, Integer queueId,
      Long queueOffset, double intendedMs, Double ackMs, Integer brokerName) {
    int p = reserve();
    int bits = 0;
    buf.put(p, (byte) 'O').put(p + 1, (byte) outcome);
    if (retries != null) {
      bits |= 2;
      buf.put(p + 2, (byte) Math.min(255, Math.max(0, retries)));
    }
    buf.putInt(p + 4, (int) producerId).putInt(p + 8, (int) seq);
    if (brokerCode != null) {
      bits |= 1;
      buf.putInt(p + 12, brokerCode);
    }
    if (queueId != null) {
      bits |= 4;
      buf.putInt(p + 16, queueId);
    }
    if (brokerName != null) {
      bits |= 32;
      buf.putShort(p + 20, (short) (int) brokerName);
    }
    if (queueOffset != null) {
      bits |= 8;
      buf.putDouble(p + 24, queueOffset);
    }
    buf.putDouble(p + 32, intendedMs);
    if (ackMs != null) {
      bits |= 16;
      buf.putDouble(p + 40, ackMs);
    }
    buf.put(p + 3, (byte) bits);
  }

  synchronized void delivery(long producerId, long seq, int queueId, long queueOffset, int brokerId, int reconsumeTimes,
      boolean crcOk, double deliveredMs, double bornMs, double storeMs, int topic) {
    int p = reserve();
    buf.put(p, (byte) 'D').put(p + 1, (byte) (crcOk ? 1 : 0)).putShort(p + 2, (short) topic);
    buf.putInt(p + 4, (int) producerId).putInt(p + 8, (int) seq).putInt(p + 12, queueId).putDouble(p + 16, queueOffset);
    buf.putInt(p + 24, brokerId).putInt(p + 28, reconsumeTimes);
    buf.putDouble(p + 32, deliveredMs).putDouble(p + 40, bornMs).putDouble(p + 48, storeMs);
  }

  /** One write of everything buffered (no fsync: a kill -9 keeps the page cache, as in the TypeScript writer). */
  synchronized void flush() {
    try {
      out.write(buf.array(), 0, buf.position());
    } catch (IOException e) {
      throw new RuntimeException("ledger write failed: " + e.getMessage(), e);
    } finally {
      buf.clear();
    }
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    flush();
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }
}
