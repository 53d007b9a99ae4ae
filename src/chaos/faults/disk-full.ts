/**
 * disk-full: a real full disk, not an injected ENOSPC. Inject stops the target broker cleanly, puts
 * its store on a small loop-mounted ext4 image (the store directory becomes a link into the image),
 * starts it again there and fills the image with a filler file, so the kernel answers ENOSPC to the
 * broker's next CommitLog block. The broker must answer RocketMQ codes (FLUSH_DISK_TIMEOUT for the
 * sends in flight, SERVICE_NOT_AVAILABLE while the disk is full), never SEND_OK for bytes it could not
 * fsync under SYNC_FLUSH, and never crash. Heal deletes the filler and waits until the broker writes
 * to the image again (it resumes on its own); then, so no mount outlives the fault, the broker is
 * stopped cleanly, its store copied back to the real disk, the image unmounted and detached, and the
 * broker restarted (a graceful restart, which loses nothing). Needs root and loop devices: without
 * them validate() says why and the scenario is refused (exit 2). A broker whose store is on faultfs
 * (storeFs: faultfs) gets the full disk from faultfs instead: every write and create answers ENOSPC
 * from inject to heal, with no move, copy or restart.
 */
import {execFile, execFileSync} from 'node:child_process'
import {lstat, rename, rm, rmdir, symlink} from 'node:fs/promises'
import {lstatSync, renameSync, rmSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {promisify} from 'node:util'
import {z} from 'zod'
import type {ClusterNode} from '../../cluster/cluster.js'
import {RunBrokenError} from '../../errors.js'
import {parseSizeBytes} from '../../units.js'
import {type FaultAction, type FaultContext, handle} from '../fault-action.js'
import {durationParam, unitErrorMap} from './broker-disk-faults.js'
import {byMechanism, onFaultFs, sendToFaultFs} from './faultfs-disk.js'
import {fillUp, freeBytes, type LoopMount, loopImageProblems, mountLoopImage, onExitBeforeUnmount, unmountLoopImage} from './loop-image.js'

const run = promisify(execFile)
const MIN_IMAGE_BYTES = 16 << 20
const BACKUP_SUFFIX = '.before-disk-full'
const MOUNT_SUFFIX = '.disk-full-mnt'
/** After the broker writes again, it stays on the emptied image this long, so sends see it serve there. */
const RESUMED_HOLD_MS = 1000

const sizeParam = z.union([z.number().int().positive(), z.string()], {errorMap: unitErrorMap('a size like "64MiB" or a number of bytes')}).transform((v, c) => {
  try {
    return parseSizeBytes(v, 'size')
  } catch (err) {
    c.addIssue({code: z.ZodIssueCode.custom, message: (err as Error).message})
    return z.NEVER
  }
}).refine((n) => n >= MIN_IMAGE_BYTES, {message: `size: expected at least ${MIN_IMAGE_BYTES >> 20}MiB (ext4 and its journal need room)`})

export const diskFullParams = z.object({
  /** The image: the store so far plus everything the run writes after heal must fit. */
  size: sizeParam.default('64MiB'),
  /** How long heal waits for the broker's first write after the filler is gone. */
  resumeWithin: durationParam.default('5s'),
}).strict()
type DiskFullParams = z.output<typeof diskFullParams>

/** One target's disk, as inject left it (all heal needs; plain data for the handle). */
interface FullDisk {
  node: string
  storeDir: string
  backup: string
  filler: string
  mount: LoopMount
  /** Set when the store could not be copied out of the image: unmount, but leave the image file. */
  keepImage?: boolean
}

function storeNode(ctx: FaultContext, name: string): ClusterNode & {storeDir: string} {
  const n = ctx.cluster.nodes().find((x) => x.name === name)
  if (!n?.storeDir) throw new RunBrokenError(`disk-full: node ${name} has no store directory we can move`)
  return n as ClusterNode & {storeDir: string}
}

/** Bytes the store really occupies (sparse CommitLog files count only their written blocks). */
async function allocatedBytes(dir: string): Promise<number> {
  const {stdout} = await run('du', ['-s', '-B1', dir])
  return Number(stdout.split(/\s/)[0])
}

async function copyTree(from: string, to: string): Promise<void> {
  // cp keeps CommitLog files sparse; a plain copy would write every hole and need the whole file size.
  await run('cp', ['-a', '--sparse=always', from, to], {timeout: 120_000})
}

/** Undoes the move: the real store directory back in place (copied out of the image when it was used). */
async function restoreStore(d: FullDisk, fromImage: boolean): Promise<void> {
  const link = await lstat(d.storeDir).catch(() => undefined)
  if (link?.isSymbolicLink()) await rm(d.storeDir)
  if (fromImage) {
    await rm(d.storeDir, {recursive: true, force: true})
    try {
      await copyTree(join(d.mount.mountPoint, 'store'), d.storeDir)
    } catch (err) {
      // The store as it was before the fault beats a half-copied one; the image is kept for a post-mortem.
      await rm(d.storeDir, {recursive: true, force: true})
      await rename(d.backup, d.storeDir)
      d.keepImage = true
      throw err
    }
    await rm(d.backup, {recursive: true, force: true})
  } else if (await lstat(d.backup).catch(() => undefined)) {
    await rename(d.backup, d.storeDir)
  }
}

// Ctrl-C or a broken run never heals: the exit hook still gets the store out before the unmount.
onExitBeforeUnmount((m) => {
  if (!m.mountPoint.endsWith(MOUNT_SUFFIX)) return
  const storeDir = m.mountPoint.slice(0, -MOUNT_SUFFIX.length)
  if (!lstatSync(storeDir, {throwIfNoEntry: false})?.isSymbolicLink()) return
  rmSync(storeDir)
  try {
    execFileSync('cp', ['-a', '--sparse=always', join(m.mountPoint, 'store'), storeDir], {stdio: 'ignore', timeout: 60_000})
    rmSync(storeDir + BACKUP_SUFFIX, {recursive: true, force: true})
  } catch {
    rmSync(storeDir, {recursive: true, force: true})
    renameSync(storeDir + BACKUP_SUFFIX, storeDir)
  }
})

async function fillDisk(ctx: FaultContext, name: string, p: DiskFullParams): Promise<FullDisk> {
  const node = storeNode(ctx, name)
  const storeDir = node.storeDir
  const used = await allocatedBytes(storeDir)
  // Room for the store, ext4's own metadata and the rest of the run once the disk is emptied.
  if (used * 2 + MIN_IMAGE_BYTES > p.size) throw new RunBrokenError(`disk-full: ${name}'s store already holds ${used} bytes; size ${p.size} is too small for it`)
  await ctx.cluster.kill(name, 'SIGTERM')
  const d: FullDisk = {
    node: name, storeDir, backup: storeDir + BACKUP_SUFFIX, filler: '',
    mount: {image: join(dirname(storeDir), 'disk-full.img'), device: '', mountPoint: storeDir + MOUNT_SUFFIX},
  }
  let copied = false
  try {
    d.mount = await mountLoopImage(d.mount.image, p.size, d.mount.mountPoint)
    d.filler = join(d.mount.mountPoint, 'filler')
    await copyTree(storeDir, join(d.mount.mountPoint, 'store'))
    await rename(storeDir, d.backup)
    await symlink(join(d.mount.mountPoint, 'store'), storeDir)
    copied = true
    await ctx.cluster.restart(name)
    const filled = await fillUp(d.filler)
    ctx.log(`disk-full: ${name}'s store is on ${d.mount.device} (${p.size} bytes ext4), filled with ${filled} bytes; ${await freeBytes(d.mount.mountPoint)} bytes free`)
    return d
  } catch (err) {
    await undo(ctx, d, copied).catch((e: unknown) => ctx.log(`disk-full: undoing a failed inject on ${name}: ${(e as Error).message}`))
    throw err
  }
}

/** Puts the node back on its real store, unmounts and restarts it; every step is tried even after a failure. */
async function undo(ctx: FaultContext, d: FullDisk, storeOnImage: boolean): Promise<void> {
  const errors: string[] = []
  const attempt = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
    await fn().catch((err: unknown) => errors.push(`${what}: ${(err as Error).message}`))
  }
  await attempt('stop', async () => (ctx.cluster.nodes().find((n) => n.name === d.node)?.pid === undefined ? undefined : ctx.cluster.kill(d.node, 'SIGTERM')))
  await attempt('restore store', () => restoreStore(d, storeOnImage))
  if (d.mount.device) await attempt('unmount', () => unmountLoopImage(d.mount, {keepImage: d.keepImage === true}))
  else await attempt('remove image', () => Promise.all([rm(d.mount.image, {force: true}), rmdir(d.mount.mountPoint).catch(() => undefined)]))
  await attempt('restart', () => ctx.cluster.restart(d.node))
  if (errors.length > 0) throw new RunBrokenError(`disk-full on ${d.node}: ${errors.join('; ')}`)
}

/** After the filler is gone: wait until the image fills again, i.e. the broker writes on its own. */
async function awaitResume(ctx: FaultContext, d: FullDisk, withinMs: number): Promise<void> {
  const start = Date.now()
  const freeAfterDelete = await freeBytes(d.mount.mountPoint)
  while (Date.now() - start < withinMs) {
    await new Promise((r) => setTimeout(r, 50))
    const free = await freeBytes(d.mount.mountPoint)
    if (free < freeAfterDelete) {
      ctx.log(`disk-full: ${d.node} writes again ${Date.now() - start} ms after the filler was deleted (${freeAfterDelete - free} bytes)`)
      await new Promise((r) => setTimeout(r, RESUMED_HOLD_MS))
      return
    }
  }
  ctx.log(`disk-full: ${d.node} wrote nothing within ${withinMs} ms of the filler's deletion (no load, or it did not resume)`)
}

export const diskFull: FaultAction<DiskFullParams> = {
  type: 'disk-full',
  params: diskFullParams,
  targetKinds: ['broker'],
  describe: (target, p) => `move ${target}'s store onto a ${p.size >> 20} MiB loop-mounted ext4 image and fill it; at heal delete the filler, then move the store back`,
  validate: (target, _p, brokers) => (target.names.every((n) => onFaultFs(brokers, n)) ? [] : loopImageProblems().map((why) => `disk-full: ${why}`)),
  async inject(ctx, target, p) {
    const {mounts, own} = byMechanism(ctx, target.names)
    await sendToFaultFs(mounts, {set: [{kind: 'enospc', files: 'all'}]})
    const disks: FullDisk[] = []
    try {
      for (const name of own) disks.push(await fillDisk(ctx, name, p))
    } catch (err) {
      for (const d of disks) await undo(ctx, d, true).catch(() => undefined)
      throw err
    }
    return handle('disk-full', target, {disks})
  },
  async heal(ctx, h, p) {
    await sendToFaultFs(byMechanism(ctx, h.target.names).mounts, {clear: ['enospc']})
    const disks = h.detail['disks'] as FullDisk[]
    const errors: string[] = []
    for (const d of disks) {
      try {
        await rm(d.filler, {force: true})
        await awaitResume(ctx, d, p.resumeWithin)
      } catch (err) {
        errors.push((err as Error).message)
      }
      await undo(ctx, d, true).catch((err: unknown) => errors.push((err as Error).message))
    }
    if (errors.length > 0) throw new RunBrokenError(errors.join('; '))
  },
}
