package org.mqbench.worker;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.rocketmq.common.message.Message;

/**
 * Who sent a message and what its body must be, exactly as src/workload/message-identity.ts: the
 * properties MQB_RUN, MQB_PID, MQB_SEQ, MQB_CRC, MQB_T plus KEYS "pid:seq", and a 16-byte body prefix
 * (u32 pid, u32 seq, f64 intended ms, little-endian) before seeded payload.
 */
final class MessageIdentity {
  static final String RUN = "MQB_RUN";
  static final String PID = "MQB_PID";
  static final String SEQ = "MQB_SEQ";
  static final String CRC = "MQB_CRC";
  static final String INTENDED_MS = "MQB_T";
  static final int BODY_PREFIX_BYTES = 16;
  /** producerId of a delivery that carries no identity of this run (delivery-ledger.ts NOT_OURS). */
  static final long NOT_OURS = 0xffffffffL;

  final String runId;
  final long producerId;
  final long seq;
  final long bodyCrc;
  final double intendedMs;

  MessageIdentity(String runId, long producerId, long seq, long bodyCrc, double intendedMs) {
    this.runId = runId;
    this.producerId = producerId;
    this.seq = seq;
    this.bodyCrc = bodyCrc;
    this.intendedMs = intendedMs;
  }

  static byte[] buildBody(int size, long producerId, long seq, double intendedMs, SeededRandom rng) {
    byte[] body = new byte[size];
    ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, (int) producerId).putInt(4, (int) seq).putDouble(8, intendedMs);
    rng.fill(body, BODY_PREFIX_BYTES, size);
    return body;
  }

  static long crc32(byte[] body) {
    CRC32 c = new CRC32();
    c.update(body, 0, body.length);
    return c.getValue();
  }

  /**
   * MQB_T as JavaScript's String(number) writes it: plain decimal, no exponent, no trailing ".0"; the
   * digits round-trip to the same double, which is what the audit reads back.
   */
  static String jsNumber(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** The identity a delivery claims; null when it has none or a malformed one. */
  static MessageIdentity read(Map<String, String> p) {
    String runId = p.get(RUN);
    if (runId == null) return null;
    Long pid = parseU32(p.get(PID));
    Long seq = parseU32(p.get(SEQ));
    Long crc = parseU32(p.get(CRC));
    double t;
    try {
      t = Double.parseDouble(p.getOrDefault(INTENDED_MS, "x"));
    } catch (NumberFormatException e) {
      return null;
    }
    if (pid == null || seq == null || crc == null || !Double.isFinite(t)) return null;
    return new MessageIdentity(runId, pid, seq, crc, t);
  }

  private static Long parseU32(String s) {
    if (s == null || !s.matches("\\d{1,10}")) return null;
    long n = Long.parseLong(s);
    return n <= 0xffffffffL ? n : null;
  }

  /** A message carrying this identity (properties and KEYS "pid:seq"): the same for a first send and an outbox re-send. */
  static Message message(String topic, String tags, String runId, long producerId, long seq, double intendedMs, byte[] body) {
    Message msg = new Message(topic, body);
    if (tags != null) msg.setTags(tags);
    msg.putUserProperty(RUN, runId);
    msg.putUserProperty(PID, Long.toString(producerId));
    msg.putUserProperty(SEQ, Long.toString(seq));
    msg.putUserProperty(CRC, Long.toString(crc32(body)));
    msg.putUserProperty(INTENDED_MS, jsNumber(intendedMs));
    msg.setKeys(producerId + ":" + seq);
    return msg;
  }

  /** One number per (producer, seq), as identityKey() in TypeScript: the idempotency store's key. */
  static double key(long producerId, long seq) {
    return producerId * 4294967296.0 + seq;
  }
}
