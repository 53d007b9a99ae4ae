/**
 * A small ext4 file system in an image file, attached to a loop device and mounted: a real disk that
 * can really fill up (the kernel answers ENOSPC, not our FaultyFileIO). Needs root and loop devices;
 * loopImageProblems() says why they are missing so a scenario fails before it starts (exit 2).
 * Every mounted image is remembered until unmounted, and a process 'exit' hook unmounts and detaches
 * whatever a broken or interrupted run left, so no mount or loop device outlives the orchestrator.
 */
import {execFile, execFileSync} from 'node:child_process'
import {accessSync, constants, existsSync, rmdirSync, rmSync} from 'node:fs'
import {mkdir, open, rm, rmdir, statfs} from 'node:fs/promises'
import {delimiter, join} from 'node:path'
import {promisify} from 'node:util'
import {RunBrokenError} from '../../errors.js'

const run = promisify(execFile)
const TOOLS = ['losetup', 'mkfs.ext4', 'mount', 'umount'] as const
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin']

export interface LoopMount {
  image: string
  device: string
  mountPoint: string
}

/** By mount point: a handle may carry a copy of the LoopMount it was given. */
const mounted = new Map<string, LoopMount>()
let exitHookInstalled = false
/** Called on process exit for each mount still up, before it is unmounted (e.g. to copy data out). */
let beforeExitUnmount: ((m: LoopMount) => void) | undefined

function findTool(name: string): string | undefined {
  for (const dir of [...(process.env['PATH'] ?? '').split(delimiter), ...SBIN]) {
    if (!dir) continue
    const file = join(dir, name)
    try {
      accessSync(file, constants.X_OK)
      return file
    } catch {
      // not here
    }
  }
  return undefined
}

/** Why a loop-mounted image cannot be used here ([] when it can). */
export function loopImageProblems(): string[] {
  const problems: string[] = []
  const uid = process.getuid?.()
  if (uid !== 0) problems.push(`needs root to attach loop devices and mount (running as uid ${uid ?? 'unknown'})`)
  const missing = TOOLS.filter((t) => findTool(t) === undefined)
  if (missing.length > 0) problems.push(`needs ${missing.join(', ')} on PATH (util-linux, e2fsprogs)`)
  if (!existsSync('/dev/loop-control')) problems.push('no loop devices: /dev/loop-control is missing (modprobe loop, or a container without them)')
  if (problems.length === 0) {
    try {
      execFileSync(findTool('losetup')!, ['--find'], {stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000})
    } catch (err) {
      problems.push(`no free loop device: losetup --find failed (${String((err as {stderr?: Buffer}).stderr ?? (err as Error).message).trim()})`)
    }
  }
  return problems
}

async function tool(name: (typeof TOOLS)[number], args: string[]): Promise<string> {
  try {
    return (await run(findTool(name) ?? name, args, {timeout: 30_000})).stdout.trim()
  } catch (err) {
    const e = err as Error & {stderr?: string}
    throw new RunBrokenError(`${name} ${args.join(' ')} failed: ${(e.stderr ?? e.message).trim()}`)
  }
}

/** Creates a sparse image of `sizeBytes`, formats it ext4 (no root reserve), attaches and mounts it. */
export async function mountLoopImage(image: string, sizeBytes: number, mountPoint: string): Promise<LoopMount> {
  const fh = await open(image, 'w')
  try {
    await fh.truncate(sizeBytes)
  } finally {
    await fh.close()
  }
  // -m 0: the broker runs as root and could use root's reserved blocks; the whole disk fills instead.
  await tool('mkfs.ext4', ['-q', '-F', '-m', '0', image])
  const device = await tool('losetup', ['--find', '--show', image])
  const m: LoopMount = {image, device, mountPoint}
  try {
    await mkdir(mountPoint, {recursive: true})
    await tool('mount', ['-t', 'ext4', device, mountPoint])
  } catch (err) {
    await tool('losetup', ['-d', device]).catch(() => undefined)
    throw err
  }
  remember(m)
  return m
}

/** Unmounts (retrying while busy, lazily as a last resort), detaches and deletes the image unless told to keep it. */
export async function unmountLoopImage(m: LoopMount, opts: {keepImage?: boolean} = {}): Promise<void> {
  let lastError: unknown
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      await tool('umount', [m.mountPoint])
      lastError = undefined
      break
    } catch (err) {
      lastError = err
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  // A process we do not know of still holds a file open: detach the tree now, the kernel frees it later.
  if (lastError !== undefined) await tool('umount', ['-l', m.mountPoint])
  await tool('losetup', ['-d', m.device]).catch(() => undefined)
  mounted.delete(m.mountPoint)
  if (!opts.keepImage) await rm(m.image, {force: true})
  await rmdir(m.mountPoint).catch(() => undefined)
}

/** Bytes free to an unprivileged or root writer alike (-m 0), from statfs. */
export async function freeBytes(mountPoint: string): Promise<number> {
  const s = await statfs(mountPoint)
  return s.bavail * s.bsize
}

/**
 * Writes `file` until the file system answers ENOSPC: big chunks first, then single blocks, so not
 * even one block is left for the broker. Returns the bytes written.
 */
export async function fillUp(file: string): Promise<number> {
  const fh = await open(file, 'w')
  let written = 0
  try {
    // Small ext4 images use 1 KiB blocks: end with that size so no block is left over.
    for (const chunk of [1 << 20, 4096, 1024]) {
      const buf = Buffer.alloc(chunk, 0x5a)
      for (;;) {
        try {
          const {bytesWritten} = await fh.write(buf, 0, chunk, written)
          written += bytesWritten
          if (bytesWritten < chunk) break
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break
          throw err
        }
      }
    }
  } finally {
    await fh.close()
  }
  return written
}

/** What the exit hook does first for each mount still up (the disk-full fault copies the store out). */
export function onExitBeforeUnmount(fn: (m: LoopMount) => void): void {
  beforeExitUnmount = fn
}

function remember(m: LoopMount): void {
  mounted.set(m.mountPoint, m)
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const left of mounted.values()) {
      try {
        beforeExitUnmount?.(left)
      } catch {
        // still unmount below
      }
      for (const [cmd, args] of [['umount', ['-l', left.mountPoint]], ['losetup', ['-d', left.device]]] as const) {
        try {
          execFileSync(findTool(cmd) ?? cmd, [...args], {stdio: 'ignore', timeout: 10_000})
        } catch {
          // best effort: the process is exiting
        }
      }
      rmSync(left.image, {force: true})
      try {
        // rmdir, never a recursive rm: should the unmount have failed, the files stay.
        rmdirSync(left.mountPoint)
      } catch {
        // still mounted, or already gone
      }
    }
  })
}

/** Mounts not yet unmounted (tests check that a run leaves none). */
export function activeLoopMounts(): LoopMount[] {
  return [...mounted.values()]
}
