/**
 * Where the faultfs helper is (built from faultfs/ by `npm install` through scripts/faultfs-build.mjs)
 * and what this machine lacks to mount it. A scenario asking for storeFs: faultfs is refused (exit 2)
 * with these reasons before anything starts.
 */
import {accessSync, constants, existsSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {ConfigError} from '../../errors.js'

/** faultfs/bin/faultfs at the repository root, whether this module runs from dist/ or from src/. */
export function faultfsBinary(): string {
  const override = process.env['MQBENCH_FAULTFS_BIN']
  if (override) return override
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'faultfs', 'bin', 'faultfs')
    if (existsSync(candidate)) return candidate
    dir = resolve(dir, '..')
  }
  return join(dir, 'faultfs', 'bin', 'faultfs')
}

/** Why faultfs cannot be mounted here ([] when it can). */
export function faultfsProblems(): string[] {
  const problems: string[] = []
  const bin = faultfsBinary()
  try {
    accessSync(bin, constants.X_OK)
  } catch {
    problems.push(`the faultfs helper ${bin} is not built (needs Go on PATH: npm run faultfs:build)`)
  }
  const uid = process.getuid?.()
  if (uid !== 0) problems.push(`mounting faultfs needs root (running as uid ${uid ?? 'unknown'})`)
  if (!existsSync('/dev/fuse')) problems.push('no /dev/fuse (FUSE is not available in this kernel or container)')
  return problems
}

/**
 * Refuses (exit 2, one line) a cluster where some broker asks for storeFs: faultfs that this machine
 * cannot mount; `source` names the scenario.
 */
export function requireFaultFs(confs: ReadonlyArray<Record<string, unknown>>, source: string): void {
  const i = confs.findIndex((c) => c['storeFs'] === 'faultfs')
  if (i < 0) return
  const problems = faultfsProblems()
  if (problems.length > 0) throw new ConfigError(`${source}: cluster.brokers.${i}.conf.storeFs: faultfs is unavailable here: ${problems.join('; ')}`)
}
