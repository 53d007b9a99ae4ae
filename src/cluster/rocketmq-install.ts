/**
 * Where scripts/rocketmq-install.mjs puts an Apache RocketMQ release, and whether one can run here.
 * The script is the one authority on which releases it fetches (5.3.3, 5.5.0 and 4.9.7 from Maven
 * Central); a run only checks that the chosen one is installed and says how to install it otherwise.
 */
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'

/** The newest release whose source docs/rocketmq-protocol.md was verified against. */
export const DEFAULT_ROCKETMQ_VERSION = '5.3.3'
const MARKER = '.installed'

export type RocketMQAvailability =
  | {ok: true; version: string; libDir: string; homeDir: string}
  | {ok: false; reason: string}

/** Same root as the install script: MQBENCH_ROCKETMQ_HOME or ~/.cache/mqbench/rocketmq, then <version>/. */
export function rocketmqInstallDir(version = DEFAULT_ROCKETMQ_VERSION): string {
  return join(process.env.MQBENCH_ROCKETMQ_HOME || join(homedir(), '.cache', 'mqbench', 'rocketmq'), version)
}

/** Whether a real RocketMQ of `version` can be started here; the reason says what to install. */
export function isRocketMQAvailable(version = DEFAULT_ROCKETMQ_VERSION): RocketMQAvailability {
  const java = spawnSync('java', ['-version'], {stdio: 'ignore'})
  if (java.error || java.status !== 0) return {ok: false, reason: `'java' is not on PATH (a JDK 17 runs RocketMQ ${version})`}
  const dir = rocketmqInstallDir(version)
  if (!existsSync(join(dir, MARKER))) {
    return {ok: false, reason: `Apache RocketMQ ${version} is not installed in ${dir} (run: npm run rocketmq:install -- --version ${version})`}
  }
  return {ok: true, version, libDir: join(dir, 'lib'), homeDir: join(dir, 'home')}
}
