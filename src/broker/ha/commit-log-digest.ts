/**
 * sha256 over a store's CommitLog bytes [fromOffset, maxOffset), read straight from the files
 * (named by their 20-digit start offset). Master and slave logs replicated byte for byte have the
 * same digest; the HA tests and the runner's replica check compare them after a clean stop.
 */
import {createHash} from 'node:crypto'
import {open, readdir} from 'node:fs/promises'
import {join} from 'node:path'
import {StoreCorruptError} from '../../errors.js'

const READ_BYTES = 1024 * 1024
const FILE_NAME = /^\d{20}$/

export interface CommitLogDigestOptions {
  /** default 0; a slave that started empty holds only the master's files from its last one on */
  fromOffset?: number
  /** default <storeDir>/commitlog (storePathCommitLog) */
  commitLogDir?: string
}

export async function commitLogDigest(storeDir: string, maxOffset: number, opts: CommitLogDigestOptions = {}): Promise<string> {
  const dir = opts.commitLogDir ?? join(storeDir, 'commitlog')
  const from = opts.fromOffset ?? 0
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => FILE_NAME.test(n)).sort()
  const hash = createHash('sha256')
  let pos = from
  for (let i = 0; i < names.length && pos < maxOffset; i++) {
    const start = Number(names[i])
    const nextStart = i + 1 < names.length ? Number(names[i + 1]) : Infinity
    if (nextStart <= pos) continue
    if (start > pos) throw missing(dir, pos)
    const end = await hashRange(join(dir, names[i]!), pos - start, Math.min(maxOffset, nextStart) - start, hash)
    pos = start + end
    if (pos < Math.min(maxOffset, nextStart)) break
  }
  if (pos < maxOffset) throw missing(dir, pos)
  return hash.digest('hex')
}

/** Hashes file bytes [begin, min(end, file size)); returns where it stopped. */
async function hashRange(file: string, begin: number, wanted: number, hash: ReturnType<typeof createHash>): Promise<number> {
  const fh = await open(file, 'r')
  try {
    const end = Math.min(wanted, (await fh.stat()).size)
    const buf = Buffer.alloc(READ_BYTES)
    let p = begin
    while (p < end) {
      const want = Math.min(READ_BYTES, end - p)
      const {bytesRead} = await fh.read(buf, 0, want, p)
      if (bytesRead === 0) break
      hash.update(buf.subarray(0, bytesRead))
      p += bytesRead
    }
    return p
  } finally {
    await fh.close()
  }
}

function missing(dir: string, offset: number): StoreCorruptError {
  return new StoreCorruptError(`${dir}: no CommitLog file holds offset ${offset}`, {file: dir, offset})
}
