/**
 * Flags shared by run and chaos, parsed and bounded at the boundary so src/ only sees numbers.
 * A parse failure is a ConfigError; package.json sets oclif.exitCodes.failedFlagParsing = 2.
 */
import {Flags} from '@oclif/core'
import {ConfigError} from '../errors.js'
import {parseDurationMs, parseRatePerSec, parseSizeBytes} from '../units.js'
import {DEFAULT_MAX_REGRESSION_PCT, parseRegressionLimit} from '../report/compare.js'

export const durationFlag = Flags.custom<number>({
  parse: async (input, _ctx, opts) => parseDurationMs(input, `--${opts.name}`),
  helpValue: '<10s|500ms|2m>',
})

export const rateFlag = Flags.custom<number>({
  parse: async (input, _ctx, opts) => parseRatePerSec(input, `--${opts.name}`),
  helpValue: '<msg/s, e.g. 5000 or 5k; 0 = max>',
})

export const sizeFlag = Flags.custom<number>({
  parse: async (input, _ctx, opts) => parseSizeBytes(input, `--${opts.name}`),
  helpValue: '<bytes, e.g. 1KiB>',
})

export const regressionFlag = Flags.custom<number>({
  parse: async (input, _ctx, opts) => parseRegressionLimit(input, `--${opts.name}`),
  helpValue: '<percent, e.g. 10%>',
})

/** oclif's own integer flag reports "Expected an integer … but received: 0" without naming the flag. */
export function boundedInt(min: number, max: number) {
  return Flags.custom<number>({
    parse: async (input, _ctx, opts) => {
      const n = /^-?\d+$/.test(input) ? Number(input) : Number.NaN
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        throw new ConfigError(`--${opts.name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(input)}`)
      }
      return n
    },
    helpValue: `<${min}-${max}>`,
  })
}

/** Every flag `run` and `chaos` share: scenario overrides plus output options. */
export const runFlags = {
  rate: rateFlag({description: 'target send rate across all producers (0 = as fast as possible)'}),
  duration: durationFlag({description: 'load duration after warm-up'}),
  size: sizeFlag({description: 'message body size'}),
  producers: boundedInt(1, 64)({description: 'producer worker processes'}),
  consumers: boundedInt(0, 64)({description: 'consumer worker processes'}),
  'send-mode': Flags.option({options: ['sync', 'async', 'oneway'] as const, description: 'producer send mode'})(),
  flush: Flags.option({options: ['SYNC_FLUSH', 'ASYNC_FLUSH'] as const, description: "the master's flushDiskType"})(),
  role: Flags.option({options: ['SYNC_MASTER', 'ASYNC_MASTER'] as const, description: "the master's brokerRole"})(),
  target: Flags.option({options: ['embedded', 'rocketmq'] as const, description: 'broker implementation to measure'})(),
  'rocketmq-version': Flags.string({description: 'with --target rocketmq: the Apache RocketMQ release (default 5.3.3; 4.9.7 also tested)'}),
  seed: boundedInt(0, 0xffffffff)({description: 'seed for every random choice (payloads, schedules); an unsigned 32-bit integer'}),
  out: Flags.string({description: 'parent directory for the run directory', default: 'runs'}),
  threshold: Flags.string({description: "gate, repeatable: 'audit.lost==0', 'send.p99<20ms'", multiple: true}),
  ...gateFlags(),
}

/** CI gates shared by run, chaos and compare: a baseline, its regression limit, a JUnit file. */
export function gateFlags() {
  return {
    baseline: Flags.string({description: 'compare with this earlier result (run directory or result.json); a regression exits 1'}),
    'max-regression': regressionFlag({description: 'allowed worsening against --baseline before exit 1', default: DEFAULT_MAX_REGRESSION_PCT}),
    junit: Flags.string({description: 'write JUnit XML here: one test case per verdict check, threshold and baseline figure'}),
  }
}
