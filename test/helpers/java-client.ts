/**
 * describeJava: a describe() for suites that run the Java workers (workers/java). Where java or mvn is
 * missing the suite is skipped LOUDLY; otherwise the workers are built once (npm run java-worker:build,
 * a no-op when target/<version> is current) before the suite runs.
 */
import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

import {beforeAll, describe} from 'vitest'

import {JAVA_CLIENT_DEFAULT_VERSION} from '../../src/scenario/java-client.js'
import {javaModuleDir, javaWorkerCommand, missingJavaTools, type JavaWorkerCommand} from '../../src/workload/java-worker.js'

const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/java-worker-build.mjs', import.meta.url))
// A cold Maven cache downloads the client and its dependencies.
const BUILD_TIMEOUT_MS = 15 * 60_000

export function describeJava(name: string, fn: () => void, version = JAVA_CLIENT_DEFAULT_VERSION): void {
  const missing = missingJavaTools()
  if (missing.length > 0) {
    console.warn(`*** SKIPPING Java client tests (${name}): ${missing.join(' and ')} not on PATH ***`)
    describe.skip(`${name} [java client ${version}]`, fn)
    return
  }
  describe(`${name} [java client ${version}]`, () => {
    beforeAll(() => {
      const res = spawnSync(process.execPath, [BUILD_SCRIPT, '--version', version], {stdio: 'inherit'})
      if (res.status !== 0) throw new Error(`java-worker-build failed (exit ${res.status}); see its output above`)
    }, BUILD_TIMEOUT_MS)
    fn()
  })
}

/** A main class of the built module (after describeJava's build), e.g. org.mqbench.worker.LedgerVector. */
export function javaMain(mainClass: string, version = JAVA_CLIENT_DEFAULT_VERSION): JavaWorkerCommand {
  return javaWorkerCommand(javaModuleDir(), version, mainClass)
}
