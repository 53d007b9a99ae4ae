#!/usr/bin/env node
/**
 * Builds the Java workers (workers/java) against one Apache RocketMQ client version:
 *
 *   node scripts/java-worker-build.mjs [--version 5.3.3] [--force]
 *
 * Output, kept under the repository and gitignored: workers/java/target/<version>/classes and
 * classpath.txt (the client's jars in the local Maven repository). A marker written last says the
 * build is complete; a build is redone when a source file is newer than the marker, or with --force.
 * Exit codes follow src/errors.ts: 0 ok, 2 missing java/mvn or bad flag, 3 the build failed.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseVersionArgs} from './version-args.mjs'

const DEFAULT_VERSION = '5.3.3'
const MARKER = '.built'
const moduleDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'workers', 'java')

function fail(code, message) {
  console.error(`java-worker-build: ${message}`)
  process.exit(code)
}

function parseArgs(argv) {
  const opts = parseVersionArgs(argv, {defaultVersion: DEFAULT_VERSION, usage: 'java-worker-build.mjs [--version 5.3.3|4.9.7] [--force]', fail})
  if (!/^\d+\.\d+\.\d+$/.test(opts.version ?? '')) fail(2, `--version: expected a client version like 5.3.3 or 4.9.7, got '${opts.version}'`)
  return opts
}

function newestSource(dir) {
  let newest = 0
  for (const e of readdirSync(dir, {withFileTypes: true})) {
    const p = join(dir, e.name)
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs)
  }
  return newest
}

/** True when target/<version> is complete and no source changed since. */
export function isBuilt(version) {
  const marker = join(moduleDir, 'target', version, MARKER)
  if (!existsSync(marker)) return false
  const built = statSync(marker).mtimeMs
  return newestSource(join(moduleDir, 'src')) <= built && statSync(join(moduleDir, 'pom.xml')).mtimeMs <= built
}

function requireTool(cmd, args) {
  const res = spawnSync(cmd, args, {stdio: 'ignore'})
  if (res.error || res.status !== 0) fail(2, `'${cmd}' is not available on PATH; the Java client needs a JDK 11+ and Maven 3.6+ (Debian: apt-get install openjdk-17-jdk-headless maven)`)
}

function main() {
  const {version, force} = parseArgs(process.argv.slice(2))
  if (!force && isBuilt(version)) {
    console.error(`java-worker-build: workers/java already built for rocketmq-client ${version}`)
    return
  }
  requireTool('java', ['-version'])
  requireTool('mvn', ['-v'])
  const out = join(moduleDir, 'target', version)
  rmSync(join(out, MARKER), {force: true})
  console.error(`java-worker-build: building workers/java against rocketmq-client ${version} (first use downloads it from Maven Central)…`)
  const res = spawnSync('mvn', ['-B', '-ntp', '-q', '-f', join(moduleDir, 'pom.xml'), `-Drocketmq.version=${version}`, 'compile'], {stdio: ['ignore', 2, 2]})
  if (res.error || res.status !== 0) fail(3, `mvn compile failed (${res.error?.message ?? `exit ${res.status}`}); see the output above`)
  if (!existsSync(join(out, 'classpath.txt'))) fail(3, `mvn finished but ${join(out, 'classpath.txt')} is missing`)
  writeFileSync(join(out, MARKER), JSON.stringify({version, builtAt: new Date().toISOString()}) + '\n')
  console.error(`java-worker-build: built ${out}`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()
