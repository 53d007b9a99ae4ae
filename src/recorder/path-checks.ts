/**
 * Every path a run writes is tried before the run starts, so a wrong one is exit 2 naming its flag or
 * key within a second — not a raw errno (exit 3) minutes in, a JUnit file lost after the whole run, or
 * a broker spinning on a directory it can never create (/proc/x).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import {makeDirsSync} from '../process/make-dirs.js'
import {ConfigError} from '../errors.js'

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  return e.code ? `${e.code} (${e.message.replace(/^\w+: /, '')})` : String(err)
}

/** The outermost ancestor of `dir` (itself included) that does not exist yet; undefined when `dir` exists. */
function firstMissing(dir: string): string | undefined {
  let missing: string | undefined
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    missing = d
    if (path.dirname(d) === d) break
  }
  return missing
}

/**
 * Creates `dir` if needed and writes, syncs and removes a probe file in it; what the probe created is
 * removed again, so a run refused later (a bad scenario) leaves no empty output directory behind.
 */
export function checkWritableDir(dir: string, field: string): void {
  const probe = path.join(dir, `.mqbench-probe-${process.pid}`)
  const created = firstMissing(dir)
  try {
    makeDirsSync(dir)
    const fd = fs.openSync(probe, 'w')
    try {
      fs.writeSync(fd, 'probe')
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.unlinkSync(probe)
    if (created !== undefined) fs.rmSync(created, {recursive: true, force: true})
  } catch (err) {
    throw new ConfigError(`${field}: expected a directory mqbench can create and write, got ${JSON.stringify(dir)}: ${reason(err)}`, {cause: err})
  }
}

/** The file's directory is writable and the file itself can be opened for writing (it is left as found). */
export function checkWritableFile(file: string, field: string): void {
  checkWritableDir(path.dirname(path.resolve(file)), field)
  const existed = fs.existsSync(file)
  try {
    fs.closeSync(fs.openSync(file, 'a'))
    if (!existed) fs.unlinkSync(file)
  } catch (err) {
    throw new ConfigError(`${field}: expected a file mqbench can write, got ${JSON.stringify(file)}: ${reason(err)}`, {cause: err})
  }
}
