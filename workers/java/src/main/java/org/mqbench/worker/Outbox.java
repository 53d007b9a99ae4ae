package org.mqbench.worker;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The producer's local outbox table, the same file as src/workload/outbox/outbox-table.ts (layout
 * documented there; test/fixtures/ledger-vector/producer.outbox keeps the two in step): a message
 * is appended PENDING, body included, before its send and SUCCESS after SEND_OK; a restarted
 * producer re-sends what is still PENDING. One unbuffered write per row, no fsync: the failure this
 * answers is a producer kill -9, which keeps the page cache. A torn last row is ignored on read.
 */
final class Outbox implements AutoCloseable {
  static final int PENDING = 1;
  static final int SUCCESS = 2;
  private static final int HEADER_BYTES = 24;

  static final class Entry {
    final long producerId;
    final long seq;
    final double intendedMs;
    final byte[] body;

    Entry(long producerId, long seq, double intendedMs, byte[] body) {
      this.producerId = producerId;
      this.seq = seq;
      this.intendedMs = intendedMs;
      this.body = body;
    }
  }

  private final FileOutputStream out;

  Outbox(Path path) throws IOException {
    out = new FileOutputStream(path.toFile(), true);
  }

  /** Before the send: the message itself, so a re-send is byte-identical. */
  synchronized void pending(long producerId, long seq, double intendedMs, byte[] body) {
    ByteBuffer b = header(PENDING, producerId, seq, intendedMs, body.length, body.length);
    System.arraycopy(body, 0, b.array(), HEADER_BYTES, body.length);
    write(b.array());
  }

  /** After SEND_OK. */
  synchronized void success(long producerId, long seq) {
    write(header(SUCCESS, producerId, seq, 0, 0, 0).array());
  }

  private static ByteBuffer header(int state, long producerId, long seq, double intendedMs, int bodyLength, int extra) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + extra).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0, (byte) state).putInt(4, (int) producerId).putInt(8, (int) seq).putDouble(12, intendedMs).putInt(20, bodyLength);
    return b;
  }

  private void write(byte[] row) {
    try {
      out.write(row);
    } catch (IOException e) {
      throw new RuntimeException("outbox write failed: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }

  /** The entries still PENDING (no SUCCESS after them), in the order they were written. */
  static List<Entry> readPending(Path path) throws IOException {
    if (!Files.exists(path)) return new ArrayList<>();
    ByteBuffer d = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
    Map<Long, Entry> pending = new LinkedHashMap<>();
    for (int pos = 0; pos + HEADER_BYTES <= d.limit();) {
      int state = d.get(pos) & 0xff;
      long producerId = Integer.toUnsignedLong(d.getInt(pos + 4));
      long seq = Integer.toUnsignedLong(d.getInt(pos + 8));
      long bodyLength = Integer.toUnsignedLong(d.getInt(pos + 20));
      long end = pos + HEADER_BYTES + bodyLength;
      if (end > d.limit() || (state != PENDING && state != SUCCESS)) break;
      long key = (producerId << 32) | seq;
      if (state == PENDING) {
        byte[] body = java.util.Arrays.copyOfRange(d.array(), pos + HEADER_BYTES, (int) end);
        pending.put(key, new Entry(producerId, seq, d.getDouble(pos + 12), body));
      } else {
        pending.remove(key);
      }
      pos = (int) end;
    }
    return new ArrayList<>(pending.values());
  }
}
