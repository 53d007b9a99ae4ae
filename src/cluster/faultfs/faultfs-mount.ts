/**
 * One faultfs mount: the helper process (faultfs/, Go) serving `mountPoint` over `backing`, which
 * plays the disk. unmount() is a clean shutdown (the helper lands every unsynced byte, as a kernel
 * does at a clean unmount); cut() is a power loss (unsynced bytes and entries are dropped, then the
 * helper unmounts and exits). No mount outlives its run: the process supervisor's reap hook
 * lazily unmounts whatever is still mounted on exit, Ctrl-C or a crash; the helper shuts itself
 * down when its parent dies; and a dead mount left by an earlier run is cleared by clearStaleMounts().
 */
import {execFileSync} from 'node:child_process'
import {mkdirSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve, sep} from 'node:path'
import {RunBrokenError} from '../../errors.js'
import {type ManagedProcess, onReap, ProcessSupervisor} from '../../process/process-supervisor.js'
import {faultfsBinary} from './faultfs-binary.js'
import {controlCommand, type FaultFsCutReport, type FaultFsStats} from './faultfs-control.js'

export interface FaultFsMountOptions {
  /** The "disk": what survives a cut. */
  backing: string
  mountPoint: string
  /** Helper output (ready line, cut and shutdown lines, errors). */
  logFile: string
  /** Unix socket of the control channel; a short path in the temp dir is used when this one is too long. */
  control: string
  /** Paths relative to the mount written straight through (evidence logs kept in the store, not store data). */
  direct?: string[]
  /** Seed for torn-write prefixes and slow-fsync jitter. */
  seed?: number
  /**
   * A metadata journal's commit interval (ext4 commit=5: 5000): entry changes and truncate-set sizes
   * become durable this often without any fsync; file bytes never do. Absent: only fsyncs make them durable.
   */
  journalCommitMs?: number
}

const READY_TIMEOUT_MS = 10_000
const STOP_GRACE_MS = 15_000
// sun_path holds 108 bytes; leave room for the terminating NUL and a margin.
const SOCKET_PATH_MAX = 100
const live = new Set<string>()
let socketSeq = 0

onReap(() => {
  for (const mountPoint of live) lazyUnmount(mountPoint)
})

function lazyUnmount(mountPoint: string): void {
  try {
    execFileSync('umount', ['-l', mountPoint], {stdio: 'ignore', timeout: 10_000})
  } catch {
    // not mounted (any more)
  }
}

/** Mount points of faultfs mounts at or under `dir`, from /proc/self/mountinfo (\040-style escapes decoded). */
export function faultfsMountsUnder(dir: string): string[] {
  const root = resolve(dir)
  let text = ''
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8')
  } catch {
    return []
  }
  const out: string[] = []
  for (const line of text.split('\n')) {
    const [left, right] = line.split(' - ')
    if (!left || !right || right.split(' ')[0] !== 'fuse.faultfs') continue
    const mp = left.split(' ')[4]!.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))
    if (mp === root || mp.startsWith(root + sep)) out.push(mp)
  }
  return out
}

/**
 * Clears faultfs mounts under `dir` whose helper is gone (the kernel answers ENOTCONN): what a run
 * killed beyond any exit hook left. A live mount (another run's) answers stat and is left alone.
 */
export function clearStaleMounts(dir: string): string[] {
  const cleared: string[] = []
  for (const mp of faultfsMountsUnder(dir)) {
    try {
      statSync(mp)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOTCONN') continue
      lazyUnmount(mp)
      cleared.push(mp)
    }
  }
  return cleared
}

export class FaultFsMount {
  readonly control: string
  /** One report per power cut, in order. */
  readonly cuts: FaultFsCutReport[] = []
  private readonly supervisor = new ProcessSupervisor()
  private proc: ManagedProcess | undefined

  constructor(readonly opts: FaultFsMountOptions) {
    this.control = opts.control.length <= SOCKET_PATH_MAX ? opts.control : join(tmpdir(), `mqbench-faultfs-${process.pid}-${socketSeq++}.sock`)
  }

  get mounted(): boolean {
    return this.proc?.running === true
  }

  async mount(): Promise<void> {
    if (this.mounted) return
    clearStaleMounts(this.opts.mountPoint)
    mkdirSync(this.opts.backing, {recursive: true})
    mkdirSync(this.opts.mountPoint, {recursive: true})
    const args = ['-backing', this.opts.backing, '-mountpoint', this.opts.mountPoint, '-control', this.control]
    for (const d of this.opts.direct ?? []) args.push('-direct', d)
    if (this.opts.seed !== undefined) args.push('-seed', String(this.opts.seed))
    if (this.opts.journalCommitMs) args.push('-journal-commit', `${this.opts.journalCommitMs}ms`)
    const p = this.supervisor.spawn(`faultfs ${this.opts.mountPoint}`, faultfsBinary(), args, {logFile: this.opts.logFile})
    this.proc = p
    live.add(this.opts.mountPoint)
    try {
      await p.waitForLine(/^faultfs ready /, READY_TIMEOUT_MS)
    } catch (err) {
      p.kill('SIGKILL')
      await p.exited
      this.settle()
      throw err
    }
  }

  async command(line: string): Promise<void> {
    await controlCommand(this.control, line)
  }

  async stats(): Promise<FaultFsStats> {
    return (await controlCommand(this.control, 'stats')).stats!
  }

  /** Power loss; the caller has SIGKILLed every process writing here first. tornSeed keeps a seeded subset of pages. */
  async cut(tornSeed?: number): Promise<FaultFsCutReport> {
    const p = this.requireRunning('cut')
    const reply = await controlCommand(this.control, tornSeed === undefined ? 'cut' : `cut torn=${tornSeed}`)
    await p.exited
    this.settle()
    this.cuts.push(reply.cut!)
    return reply.cut!
  }

  /** Clean shutdown: every unsynced byte and entry lands in the backing directory, then the mount goes. */
  async unmount(): Promise<void> {
    const p = this.proc
    if (!p?.running) return
    await p.stop(STOP_GRACE_MS)
    const info = p.exitStatus
    this.settle()
    if (info && info.code !== 0) throw new RunBrokenError(`faultfs at ${this.opts.mountPoint} exited (${info.signal ?? `code ${info.code}`}) at unmount`, {hint: `see ${this.opts.logFile}`})
  }

  private requireRunning(what: string): ManagedProcess {
    if (!this.proc?.running) throw new RunBrokenError(`faultfs ${what}: nothing is mounted at ${this.opts.mountPoint}`)
    return this.proc
  }

  /** After the helper is gone: make sure the kernel's mount went with it. */
  private settle(): void {
    if (faultfsMountsUnder(this.opts.mountPoint).includes(resolve(this.opts.mountPoint))) lazyUnmount(this.opts.mountPoint)
    live.delete(this.opts.mountPoint)
  }
}

/**
 * The mount for a broker whose conf says storeFs: faultfs, undefined otherwise. `storeDir` stays the
 * backing directory (the "disk", readable after a cut and after the run); the broker's
 * storePathRootDir becomes `<storeDir>.faultfs`.
 */
export function storeFsMount(
  conf: Record<string, unknown> | undefined, nodeDir: string, storeDir: string, direct: string[] = [], journalCommitMs?: number,
): FaultFsMount | undefined {
  if (conf?.['storeFs'] !== 'faultfs') return undefined
  return new FaultFsMount({
    backing: storeDir, mountPoint: `${storeDir}.faultfs`, logFile: join(nodeDir, 'faultfs.log'), control: join(nodeDir, 'faultfs.sock'), direct, journalCommitMs,
  })
}
