/**
 * workload.client java, seen from a run: the worker command to spawn (built on first use) and the
 * client named in result.json.
 */
import {readFileSync} from 'node:fs'
import type {Scenario} from '../scenario/schema.js'
import {clientRef, JAVA_CLIENT_DEFAULT_VERSION} from '../scenario/java-client.js'
import type {ClientRef} from '../report/run-result.js'
import {prepareJavaWorker, type JavaWorkerCommand} from '../workload/java-worker.js'

/** package.json's version: dist/src/runner and src/runner both sit two levels below it. */
export const MQBENCH_VERSION: string = (() => {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {name?: string; version?: string}
      if (pkg.name === 'mqbench' && typeof pkg.version === 'string') return pkg.version
    } catch {
      // not at this level
    }
  }
  return 'unknown'
})()

/** undefined for our own client; for java, checks java/mvn (exit 2 when missing) and builds the workers if needed. */
export function javaWorkerFor(scenario: Scenario): JavaWorkerCommand | undefined {
  const w = scenario.workload
  if (w.client !== 'java') return undefined
  return prepareJavaWorker(w.java?.version ?? JAVA_CLIENT_DEFAULT_VERSION)
}

export function runClient(scenario: Scenario, mqbenchVersion: string): ClientRef {
  return clientRef(scenario.workload, mqbenchVersion)
}
