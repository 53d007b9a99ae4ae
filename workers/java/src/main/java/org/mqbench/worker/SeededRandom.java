package org.mqbench.worker;

/**
 * The workload's seeded generator, bit for bit the mulberry32 of src/seeded-random.ts and the 64 KiB
 * payload pool of src/workload/seeded-random.ts, so a seed gives the same bodies in both clients.
 */
final class SeededRandom {
  private static final int POOL_BYTES = 64 * 1024;
  private int state;
  private final byte[] pool = new byte[POOL_BYTES];

  SeededRandom(int seed) {
    state = seed;
    for (int i = 0; i < POOL_BYTES; i += 4) {
      int v = nextU32();
      pool[i] = (byte) v;
      pool[i + 1] = (byte) (v >>> 8);
      pool[i + 2] = (byte) (v >>> 16);
      pool[i + 3] = (byte) (v >>> 24);
    }
  }

  /** Unsigned 32-bit value carried in an int (compare with Integer.toUnsignedLong). */
  int nextU32() {
    state += 0x6d2b79f5;
    int t = state;
    t = (t ^ (t >>> 15)) * (t | 1);
    t ^= t + (t ^ (t >>> 7)) * (t | 61);
    return t ^ (t >>> 14);
  }

  /** Uniform in [0, 1). */
  synchronized double next() {
    return Integer.toUnsignedLong(nextU32()) / 4294967296.0;
  }

  void fill(byte[] target, int start, int end) {
    int pos = start;
    while (pos < end) {
      int from = (int) (Integer.toUnsignedLong(nextU32()) % POOL_BYTES);
      int n = Math.min(end - pos, POOL_BYTES - from);
      System.arraycopy(pool, from, target, pos, n);
      pos += n;
    }
  }
}
