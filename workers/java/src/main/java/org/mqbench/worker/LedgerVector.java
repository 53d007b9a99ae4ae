package org.mqbench.worker;

import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The ledger-format test vector, Java side (test/unit/workload/java-ledger-vector.test.ts runs it):
 *   write DIR    writes producer.ledger, delivery.ledger and producer.outbox with the vector's fixed records
 *   dump FILE    prints each record of a ledger as one JSON line
 *   outbox FILE  prints each entry an outbox table still has PENDING as one JSON line (body in hex)
 * The TypeScript writers produce the committed test/fixtures/ledger-vector files from the same
 * records; the test requires byte equality both ways and each side reading the other's file.
 */
public final class LedgerVector {
  private LedgerVector() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && "write".equals(args[0])) write(Paths.get(args[1]));
    else if (args.length == 2 && "dump".equals(args[0])) dump(Paths.get(args[1]));
    else if (args.length == 2 && "outbox".equals(args[0])) dumpOutbox(Paths.get(args[1]));
    else {
      System.err.println("usage: LedgerVector write DIR | dump FILE | outbox FILE");
      System.exit(2);
    }
  }

  private static void write(Path dir) throws Exception {
    Files.createDirectories(dir);
    try (Ledger p = Ledger.producer(dir.resolve("producer.ledger"))) {
      p.start(0, 0, 1765000000000.25);
      p.start(4294967294L, 4294967295L, 1765000000001.5);
      p.outcome(0, 0, 0, null, 0, 3, 123456789012L, 1765000000000.25, 1765000000004.75, 0);
      p.outcome(4294967294L, 4294967295L, 6, 14, 300, null, null, 1765000000001.5, 1765000003001.0, null);
      p.outcome(7, 9, 4, null, null, null, null, 1765000000002.0, null, null);
    }
    try (Ledger d = Ledger.delivery(dir.resolve("delivery.ledger"))) {
      d.delivery(0, 0, 3, 123456789012L, 0, 0, true, 1765000000010.5, 1765000000000.0, 1765000000003.0, 0);
      d.delivery(MessageIdentity.NOT_OURS, 0, 1, 7, 1, 16, false, 1765000000011.0, 1765000000001.0, 1765000000002.0, 1);
    }
    try (Outbox o = new Outbox(dir.resolve("producer.outbox"))) {
      o.pending(0, 0, 1765000000000.25, new byte[] {1, 2, 3});
      o.pending(4294967294L, 4294967295L, 1765000000001.5, new byte[] {(byte) 0xff, 0, 0x7f, (byte) 0x80});
      o.success(0, 0);
      o.pending(7, 9, 1765000000002.0, new byte[0]);
    }
  }

  private static void dumpOutbox(Path file) throws Exception {
    for (Outbox.Entry e : Outbox.readPending(file)) {
      JsonObject o = new JsonObject();
      o.addProperty("producerId", e.producerId);
      o.addProperty("seq", e.seq);
      o.addProperty("intendedMs", e.intendedMs);
      StringBuilder hex = new StringBuilder();
      for (byte b : e.body) hex.append(String.format("%02x", b & 0xff));
      o.addProperty("body", hex.toString());
      System.out.println(o);
    }
  }

  private static void dump(Path file) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    String magic = new String(Files.readAllBytes(file), 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    int recordBytes = b.getInt(8);
    for (int p = 16; p + recordBytes <= b.limit(); p += recordBytes) {
      JsonObject o = new JsonObject();
      if ("MQBP".equals(magic)) {
        int bits = b.get(p + 3) & 0xff;
        boolean start = b.get(p) == 'S';
        o.addProperty("kind", start ? "start" : "outcome");
        o.addProperty("producerId", Integer.toUnsignedLong(b.getInt(p + 4)));
        o.addProperty("seq", Integer.toUnsignedLong(b.getInt(p + 8)));
        o.addProperty("intendedMs", b.getDouble(p + 32));
        if (!start) {
          o.addProperty("outcome", b.get(p + 1) & 0xff);
          if ((bits & 2) != 0) o.addProperty("retries", b.get(p + 2) & 0xff);
          if ((bits & 1) != 0) o.addProperty("brokerCode", b.getInt(p + 12));
          if ((bits & 4) != 0) o.addProperty("queueId", b.getInt(p + 16));
          if ((bits & 32) != 0) o.addProperty("brokerName", b.getShort(p + 20) & 0xffff);
          if ((bits & 8) != 0) o.addProperty("queueOffset", b.getDouble(p + 24));
          if ((bits & 16) != 0) o.addProperty("ackMs", b.getDouble(p + 40));
        }
      } else {
        o.addProperty("producerId", Integer.toUnsignedLong(b.getInt(p + 4)));
        o.addProperty("seq", Integer.toUnsignedLong(b.getInt(p + 8)));
        o.addProperty("queueId", b.getInt(p + 12));
        o.addProperty("queueOffset", b.getDouble(p + 16));
        o.addProperty("brokerId", b.getInt(p + 24));
        o.addProperty("reconsumeTimes", b.getInt(p + 28));
        o.addProperty("crcOk", (b.get(p + 1) & 1) != 0);
        o.addProperty("deliveredMs", b.getDouble(p + 32));
        o.addProperty("bornMs", b.getDouble(p + 40));
        o.addProperty("storeMs", b.getDouble(p + 48));
        o.addProperty("topic", b.getShort(p + 2) & 0xffff);
      }
      System.out.println(o);
    }
  }
}
