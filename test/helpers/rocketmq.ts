/**
 * describeRocketMQ: a describe() for suites that need a real Apache RocketMQ. Where java is missing, or
 * the jars are missing and mvn cannot fetch them, the suite is skipped LOUDLY (never silently green).
 * Where java and mvn exist but the jars do not, the install script runs first (the CI path).
 */
import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

import {beforeAll, describe} from 'vitest'

import {DEFAULT_ROCKETMQ_VERSION, isRocketMQAvailable} from '../../src/cluster/rocketmq-cluster.js'

const INSTALL_SCRIPT = fileURLToPath(new URL('../../scripts/rocketmq-install.mjs', import.meta.url))
// A cold Maven cache downloads ~100 MB of jars.
const INSTALL_TIMEOUT_MS = 15 * 60_000

function hasTool(cmd: string, args: string[]): boolean {
  const res = spawnSync(cmd, args, {stdio: 'ignore'})
  return !res.error && res.status === 0
}

type Plan = {run: true; install: boolean} | {run: false; reason: string}

function plan(version: string): Plan {
  const available = isRocketMQAvailable(version)
  if (available.ok) return {run: true, install: false}
  if (!hasTool('java', ['-version'])) return {run: false, reason: available.reason}
  if (!hasTool('mvn', ['-v'])) return {run: false, reason: `${available.reason}; 'mvn' is not on PATH to fetch it`}
  return {run: true, install: true}
}

export function describeRocketMQ(name: string, fn: () => void, version = DEFAULT_ROCKETMQ_VERSION): void {
  const decided = plan(version)
  if (!decided.run) {
    console.warn(`*** SKIPPING real RocketMQ tests: ${decided.reason} ***`)
    describe.skip(`${name} [real RocketMQ ${version}]`, fn)
    return
  }
  describe(`${name} [real RocketMQ ${version}]`, () => {
    if (decided.install) {
      beforeAll(() => {
        console.warn(`*** installing Apache RocketMQ ${version} from Maven Central for the real-RocketMQ tests ***`)
        const res = spawnSync(process.execPath, [INSTALL_SCRIPT, '--version', version], {stdio: 'inherit'})
        if (res.status !== 0) throw new Error(`rocketmq-install failed (exit ${res.status}); see its output above`)
      }, INSTALL_TIMEOUT_MS)
    }
    fn()
  })
}
