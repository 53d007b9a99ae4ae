/**
 * The interop suite (test/helpers/interop-suite.ts) against our embedded namesrv + ASYNC_MASTER
 * broker: the very suite the real RocketMQ 5.3.3 passes (test/integration/rocketmq/), unchanged.
 * Needs a built dist/ (built here once if missing).
 */
import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe} from 'vitest'
import {EmbeddedCluster} from '../../../src/cluster/embedded-cluster.js'
import {defineInteropSuite} from '../../helpers/interop-suite.js'

const repo = join(import.meta.dirname, '..', '..', '..')

describe('interop suite [embedded broker]', () => {
  beforeAll(() => {
    if (!existsSync(join(repo, 'dist/src/broker/main.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], {cwd: repo, stdio: 'ignore'})
  }, 180_000)

  defineInteropSuite({
    label: 'embedded',
    makeCluster: (runDir) => new EmbeddedCluster({
      runDir,
      brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH'}],
    }),
  })
})
