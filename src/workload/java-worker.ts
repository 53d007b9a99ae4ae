/**
 * The Java workers (workers/java, on the official org.apache.rocketmq:rocketmq-client): what to spawn
 * instead of worker-main.js when workload.client is java. They speak the same IPC protocol as
 * worker-main (Node's 'ipc' channel: one JSON object per line on the fd in NODE_CHANNEL_FD), so
 * WorkerHandle, the fleet and the supervisor treat them like ours; the spawned process is the JVM
 * itself, so a kill by pid is a kill of the client.
 *
 * They are built once per client version by scripts/java-worker-build.mjs (npm run java-worker:build)
 * into workers/java/target/<version>; prepareJavaWorker() builds on first use.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {ConfigError, RunBrokenError} from '../errors.js'
import {javaClientVersion} from '../scenario/java-client.js'
import type {Scenario} from '../scenario/schema.js'

export interface JavaWorkerCommand {
  cmd: string
  args: string[]
}

const MAIN_CLASS = 'org.mqbench.worker.Main'

/** The repository root: the nearest parent holding workers/java/pom.xml (dist/src/workload or src/workload). */
export function javaModuleDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'workers', 'java')
    if (existsSync(join(candidate, 'pom.xml'))) return candidate
    dir = dirname(dir)
  }
  throw new ConfigError('workers/java/pom.xml not found above the mqbench install; the Java client needs the source tree')
}

function hasTool(cmd: string, args: string[]): boolean {
  const res = spawnSync(cmd, args, {stdio: 'ignore'})
  return res.error === undefined && res.status === 0
}

/** Which of java/mvn is missing (empty when both answer). */
export function missingJavaTools(): string[] {
  return [['java', '-version'], ['mvn', '-v']].filter(([cmd, flag]) => !hasTool(cmd!, [flag!])).map(([cmd]) => cmd!)
}

/**
 * Checks the toolchain, builds target/<version> if it is missing or stale (minutes on first use:
 * Maven fetches the client), and returns the command that starts one worker.
 */
export function prepareJavaWorker(version: string): JavaWorkerCommand {
  const missing = missingJavaTools()
  if (missing.length > 0) {
    throw new ConfigError(`--client java needs ${missing.join(' and ')} on PATH (a JDK 11+ and Maven 3.6+); use --client mqbench without them`)
  }
  const moduleDir = javaModuleDir()
  const script = join(moduleDir, '..', '..', 'scripts', 'java-worker-build.mjs')
  const res = spawnSync(process.execPath, [script, '--version', version], {stdio: ['ignore', 2, 2]})
  if (res.status === 2) throw new ConfigError(`--client java: the Java worker build refused version ${version} (see above)`)
  if (res.error !== undefined || res.status !== 0) {
    throw new RunBrokenError(`building the Java worker for rocketmq-client ${version} failed (exit ${res.status}); run npm run java-worker:build -- --version ${version}`)
  }
  return javaWorkerCommand(moduleDir, version)
}

export function javaWorkerCommand(moduleDir: string, version: string, mainClass = MAIN_CLASS): JavaWorkerCommand {
  const out = join(moduleDir, 'target', version)
  const classpath = [join(out, 'classes'), readFileSync(join(out, 'classpath.txt'), 'utf8').trim()].join(':')
  return {
    cmd: 'java',
    // --add-opens: the worker opens the inherited IPC fd through java.io.FileDescriptor (no public constructor).
    // TieredStopAtLevel=1 (C1 only): five JVMs starting at once on two cores were ready after ~20 s with
    // C2's compile threads competing, ~7 s without; a respawned consumer after ~2 s instead of ~7.
    args: ['--add-opens', 'java.base/java.io=ALL-UNNAMED', '-Xms64m', '-Xmx1g', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Drocketmq.client.logUseSlf4j=false', '-cp', classpath, mainClass],
  }
}

/** undefined for our own client; for java, checks java/mvn (exit 2 when missing) and builds the workers if needed. */
export function javaWorkerFor(scenario: Scenario): JavaWorkerCommand | undefined {
  if (scenario.workload.client !== 'java') return undefined
  return prepareJavaWorker(javaClientVersion(scenario.workload))
}
