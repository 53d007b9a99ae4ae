/**
 * Durable JSON config files (topics.json, consumerOffset.json). RocketMQ's ConfigManager writes a
 * temp file and renames it over the old one; we also fsync the file and the directory, because a
 * rename that is not yet on disk can come back after a power cut as an empty or missing file.
 */
import {open, readFile, rename} from 'node:fs/promises'
import {makeDirs} from '../process/make-dirs.js'
import {dirname} from 'node:path'

/** temp write + fsync + rename + fsync(dir): a reader sees the old or the new file, never a torn one. */
export async function persistAtomically(path: string, text: string): Promise<void> {
  const dir = dirname(path)
  await makeDirs(dir)
  const tmp = `${path}.tmp`
  const fh = await open(tmp, 'w')
  try {
    await fh.writeFile(text, 'utf8')
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, path)
  const dh = await open(dir, 'r')
  try {
    await dh.sync()
  } finally {
    await dh.close()
  }
}

/** undefined when the file does not exist yet (first start); other read errors propagate. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}
