/** mqbenchBrokenMode's broker.conf grammar, apart from the processor so the config schema can check it without importing a handler. */
/** The broker.conf grammar; broker-config.ts validates the key with it (one-line ConfigError otherwise). */
export const BROKEN_MODE_PATTERN = /^(off|(drop|duplicate|corrupt|reorder)-every-n:[1-9]\d{0,8}|ack-before-fsync|ack-before-replica)$/
// The chaos twins (ack-before-fsync, ack-before-replica) are accepted but left out of the message: test fixtures pin it.
export const BROKEN_MODE_EXPECTED = 'expected off, drop-every-n:<N>, duplicate-every-n:<N>, corrupt-every-n:<N> or reorder-every-n:<N> (N ≥ 1)'
