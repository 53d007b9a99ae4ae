package org.mqbench.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The idempotent consumer's durable key table, the file format of
 * src/workload/consumer-behaviours/idempotency-store.ts: 8-byte little-endian doubles (identity keys),
 * appended right after the effect they guard; a torn last key is ignored.
 */
final class IdempotencyStore {
  private final Set<Double> keys = new HashSet<>();
  private final FileOutputStream out;
  private final ByteBuffer one = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

  IdempotencyStore(Path path) throws IOException {
    if (Files.exists(path)) {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
      while (b.remaining() >= 8) keys.add(b.getDouble());
    }
    out = new FileOutputStream(path.toFile(), true);
  }

  synchronized boolean has(double key) {
    return keys.contains(key);
  }

  synchronized void add(double key) {
    if (!keys.add(key)) return;
    one.putDouble(0, key);
    try {
      out.write(one.array(), 0, 8);
    } catch (IOException e) {
      throw new RuntimeException("idempotency store write failed: " + e.getMessage(), e);
    }
  }

  synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      // closing at exit; nothing left to protect
    }
  }
}
