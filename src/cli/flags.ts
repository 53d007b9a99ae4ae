/**
 * Flags shared by run and chaos. Flags that set a scenario key stay raw text here and are validated by
 * the scenario schema itself (src/scenario/load.ts), so a flag and the YAML key it overrides have one
 * rule and one error format. Other parse failures are ConfigErrors; package.json sets
 * oclif.exitCodes.failedFlagParsing = 2.
 */
import {Flags} from '@oclif/core'
import {ConfigError} from '../errors.js'
import {FLUSH_DISK_TYPES, MASTER_ROLES} from '../protocol/common/broker-role.js'
import {parseDurationMs, parseRatePerSec} from '../units.js'
import {DEFAULT_MAX_REGRESSION_PCT, parseRegressionLimit} from '../report/compare.js'

/** The raw text of a scenario key; numbers are passed as numbers so the schema's integer rules apply. */
export const scenarioValueFlag = Flags.custom<string | number>({
  parse: async (input) => (/^\s*-?\d+(\.\d+)?\s*$/.test(input) ? Number(input) : input),
})

export const durationFlag = Flags.custom<number>({
  parse: async (input, _ctx, opts) => parseDurationMs(input, `--${opts.name}`),
  helpValue: '<10s|500ms|2m>',
})

export const rateFlag = Flags.custom<number>({
  parse: async (input, _ctx, opts) => parseRatePerSec(input, `--${opts.name}`),
  helpValue: '<msg/s>',
})

// oclif's help prints a value placeholder up to its first space or comma, so these have neither.
export const regressionFlag = Flags.custom<number>({
  parse: async (input, _ctx, opts) => parseRegressionLimit(input, `--${opts.name}`),
  helpValue: '<percent>',
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
  rate: Flags.string({description: 'target send rate across all producers, e.g. 5000 or 5k (0 = as fast as possible)', helpValue: '<msg/s>'}),
  duration: Flags.string({description: 'load duration after warm-up, with a unit: 10s, 2m (a bare number is refused)', helpValue: '<duration>'}),
  size: Flags.string({description: 'message body size, e.g. 1KiB (16 bytes to 4MiB)', helpValue: '<bytes>'}),
  producers: scenarioValueFlag({description: 'producer worker processes (1-64)', helpValue: '<n>'}),
  consumers: scenarioValueFlag({description: 'consumer worker processes (0-64)', helpValue: '<n>'}),
  'send-mode': Flags.option({options: ['sync', 'async', 'oneway'] as const, description: 'producer send mode'})(),
  flush: Flags.option({options: FLUSH_DISK_TYPES, description: "the master's flushDiskType"})(),
  role: Flags.option({options: MASTER_ROLES, description: "the master's brokerRole"})(),
  target: Flags.option({options: ['embedded', 'rocketmq'] as const, description: 'broker implementation to measure'})(),
  client: Flags.option({options: ['mqbench', 'java'] as const, description: 'client driving the load: ours, or the official Apache RocketMQ Java client (needs java + mvn)'})(),
  'rocketmq-version': Flags.string({description: 'with --target rocketmq: the Apache RocketMQ release (default 5.3.3; 5.5.0 and 4.9.7 also tested)'}),
  namesrv: Flags.string({description: 'run against an existing cluster through its namesrv (nothing is started; faults that need control of the brokers are refused)', helpValue: '<host:port>'}),
  seed: boundedInt(0, 0xffffffff)({description: 'seed for every random choice (payloads, schedules); an unsigned 32-bit integer'}),
  out: Flags.string({description: 'parent directory for the run directory (<out>/latest links the newest run)', default: 'runs'}),
  'keep-store': Flags.boolean({description: "keep the brokers' store files of a passing run (a failed run always keeps them)"}),
  threshold: Flags.string({description: "gate, repeatable: 'audit.lost==0', 'send.p99<20ms'", multiple: true}),
  strict: Flags.boolean({description: 'exit 1 on a weak verdict (a fault that injected nothing, a power cut that destroyed nothing) and on a --baseline with another configuration'}),
  ...gateFlags(),
}

/** CI gates shared by run, chaos and compare: a baseline, its regression limit, a JUnit file. */
export function gateFlags() {
  return {
    baseline: Flags.string({description: 'compare with this earlier result (run directory or result.json); repeat it for several runs, gated on their spread; a regression exits 1', multiple: true}),
    'max-regression': regressionFlag({description: 'allowed worsening against --baseline before exit 1, e.g. 10%', default: DEFAULT_MAX_REGRESSION_PCT}),
    junit: Flags.string({description: 'write JUnit XML here: one test case per verdict check, threshold and baseline figure'}),
  }
}
