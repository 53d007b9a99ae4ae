/**
 * Runs the real CLI (`./bin/run.js`, compiled) as a child process, the way a user or CI would, and
 * reads back what a run left in its run directory. The compiled tree is rebuilt once when any source
 * file is newer than its output, so a CLI test never exercises stale code.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative} from 'node:path'
import {execa} from 'execa'
import {stringify} from 'yaml'
import type {RunResult} from '../../src/report/run-result.js'

export const REPO = join(import.meta.dirname, '..', '..')
export const CLI = join(REPO, 'bin', 'run.js')

function newestSourceMs(dir: string): {newest: number; stale: boolean} {
  let newest = 0
  let stale = false
  for (const entry of readdirSync(dir, {withFileTypes: true, recursive: true})) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue
    const src = join(entry.parentPath, entry.name)
    const out = join(REPO, 'dist', relative(REPO, src)).replace(/\.ts$/, '.js')
    const mtime = statSync(src).mtimeMs
    newest = Math.max(newest, mtime)
    if (!existsSync(out) || statSync(out).mtimeMs < mtime) stale = true
  }
  return {newest, stale}
}

/** Builds dist/ when missing or older than src/ or commands/; one build at a time across test files. */
export function ensureBuilt(): void {
  const stale = ['src', 'commands'].some((d) => newestSourceMs(join(REPO, d)).stale)
  if (!stale) return
  const lock = join(REPO, 'dist', '.test-build.lock')
  mkdirSync(join(REPO, 'dist'), {recursive: true})
  const deadline = Date.now() + 180_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      // A lock older than any build is left over from a killed test run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, {recursive: true, force: true})
      if (Date.now() > deadline) throw new Error(`ensureBuilt: ${lock} held for 3 minutes; remove it if no build is running`)
      execFileSync('sleep', ['1'])
    }
  }
  try {
    // tsc emits even when some other file has a type error; those are reported by typecheck, not here.
    if (['src', 'commands'].some((d) => newestSourceMs(join(REPO, d)).stale)) {
      try {
        execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], {cwd: REPO, stdio: 'ignore'})
      } catch {
        // type errors still emit; a missing entry point is caught by the check below
      }
    }
  } finally {
    rmdirSync(lock)
  }
  if (!existsSync(join(REPO, 'dist', 'commands', 'run.js'))) throw new Error('ensureBuilt: dist/commands/run.js missing after tsc')
}

export interface CliResult {
  exitCode: number | undefined
  stdout: string
  stderr: string
}

function userEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && k !== 'NODE_ENV' && !k.startsWith('VITEST')) env[k] = v
  }
  return env
}

interface CliOptions {timeoutMs?: number; env?: Record<string, string>; detached?: boolean}

function spawnCli(args: string[], opts: CliOptions) {
  return execa(process.execPath, [CLI, ...args], {
    cwd: REPO,
    // detached: its own process group, so a test can signal the group the way a terminal's Ctrl-C does.
    detached: opts.detached ?? false,
    reject: false,
    // On timeout execa sends SIGTERM, which mqbench treats like Ctrl-C: it reaps its own children.
    timeout: opts.timeoutMs ?? 50_000,
    // As a user runs it: vitest's NODE_ENV=test would switch oclif into development warnings.
    extendEnv: false,
    env: {...userEnv(), NO_COLOR: '1', ...opts.env},
    stdin: 'ignore',
    // Tests compare whole outputs, newline included ("one line" means exactly one trailing \n).
    stripFinalNewline: false,
  })
}

export type CliChild = ReturnType<typeof spawnCli>
const running = new Set<CliChild>()

/** Starts `mqbench <args>`; the caller owns the child (await it, or kill it in finally). */
export function startCli(args: string[], opts: CliOptions = {}): CliChild {
  const child = spawnCli(args, opts)
  running.add(child)
  void child.finally(() => running.delete(child))
  return child
}

/**
 * For afterAll: a test that timed out leaves its mqbench running. SIGINT lets it reap its brokers and
 * workers (as Ctrl-C does); whatever is still there after the grace period is SIGKILLed.
 */
export async function stopRunningClis(graceMs = 20_000): Promise<void> {
  const children = [...running]
  for (const c of children) c.kill('SIGINT')
  const timer = setTimeout(() => children.forEach((c) => c.kill('SIGKILL')), graceMs)
  try {
    await Promise.allSettled(children)
  } finally {
    clearTimeout(timer)
  }
}

export async function runCli(args: string[], opts: {timeoutMs?: number; env?: Record<string, string>} = {}): Promise<CliResult> {
  const r = await startCli(args, opts)
  return {exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr)}
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `mqbench-${prefix}-`))
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, {recursive: true, force: true})
}

export interface SingleMasterOptions {
  name: string
  rate: number
  duration: string
  warmup?: string
  flushDiskType?: 'SYNC_FLUSH' | 'ASYNC_FLUSH'
  sendMode?: 'sync' | 'async' | 'oneway'
  maxInFlight?: number
  producers?: number
  consumers?: number
  messageSize?: string
  conf?: Record<string, string | number | boolean>
  seed?: number
  ordered?: boolean
}

/** A single-master scenario YAML in `dir`; returns its path. */
export function writeSingleMasterScenario(dir: string, o: SingleMasterOptions): string {
  const scenario = {
    name: o.name,
    description: `test scenario ${o.name}`,
    ...(o.seed === undefined ? {} : {seed: o.seed}),
    cluster: {brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: o.flushDiskType ?? 'ASYNC_FLUSH', conf: o.conf ?? {}}]},
    workload: {
      topic: 'mqbench', queues: 4, messageSize: o.messageSize ?? '1KiB', rate: o.rate, duration: o.duration, warmup: o.warmup ?? '1s',
      producers: o.producers ?? 1, sendMode: o.sendMode ?? 'async', maxInFlight: o.maxInFlight ?? 256, consumers: o.consumers ?? 1,
      ...(o.ordered ? {ordered: true} : {}),
    },
  }
  const file = join(dir, `${o.name}.yaml`)
  writeFileSync(file, stringify(scenario))
  return file
}

/** The run directories under an --out directory (one per run). */
export function runDirs(outDir: string): string[] {
  if (!existsSync(outDir)) return []
  return readdirSync(outDir, {withFileTypes: true}).filter((e) => e.isDirectory()).map((e) => join(outDir, e.name))
}

/** The result.json of the only run under `outDir`. */
export function readOnlyResult(outDir: string): RunResult {
  const dirs = runDirs(outDir)
  if (dirs.length !== 1) throw new Error(`expected one run directory in ${outDir}, found ${dirs.length}`)
  return JSON.parse(readFileSync(join(dirs[0]!, 'result.json'), 'utf8')) as RunResult
}

/** Every line of every node log under <runDir>/cluster that matches `pattern`. */
export function clusterLogLines(runDir: string, pattern: RegExp): string[] {
  const clusterDir = join(runDir, 'cluster')
  const lines: string[] = []
  for (const node of readdirSync(clusterDir)) {
    const log = join(clusterDir, node, `${node}.log`)
    if (!existsSync(log)) continue
    for (const line of readFileSync(log, 'utf8').split('\n')) if (pattern.test(line)) lines.push(line)
  }
  return lines
}

/** Parses the single JSON document `--json` printed on stdout. */
export function parseJsonOutput<T = Record<string, unknown>>(stdout: string): T {
  try {
    return JSON.parse(stdout) as T
  } catch (err) {
    throw new Error(`stdout is not one JSON document: ${(err as Error).message}\n---\n${stdout.slice(0, 2000)}`)
  }
}

/** Every live descendant of `root` (walking /proc ppid links), with its command line. Linux only. */
export function descendants(root: number): Map<number, string> {
  const parent = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // exited meanwhile
    }
  }
  const out = new Map<number, string>()
  let frontier = [root]
  while (frontier.length > 0) {
    const next: number[] = []
    for (const [pid, ppid] of parent) {
      if (frontier.includes(ppid) && !out.has(pid)) {
        out.set(pid, cmdlineOf(pid) ?? '?')
        next.push(pid)
      }
    }
    frontier = next
  }
  return out
}

export function cmdlineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {
    return undefined
  }
}

export interface ProcessCpu {
  /** broker, namesrv, worker or mqbench, from the command line. */
  role: string
  cpuMs: number
  /** Time spent runnable but waiting for a CPU (/proc/<pid>/schedstat): other load starving it. */
  runQueueWaitMs: number
}

function roleOf(cmd: string): string {
  if (cmd.includes('namesrv/main.js')) return 'namesrv'
  if (cmd.includes('broker/main.js')) return 'broker'
  if (cmd.includes('worker-main')) return 'worker'
  return 'mqbench'
}

/**
 * Samples the CPU and run-queue wait of `root` and its descendants every `everyMs` until stop(); the
 * last sample of each process is kept, so processes that exit still count. Explains a slow run:
 * little CPU with a long run-queue wait means the machine was busy with something else.
 */
export function sampleProcessCpu(root: number, everyMs = 200): {stop(): ProcessCpu[]} {
  const last = new Map<number, ProcessCpu>()
  const sample = (): void => {
    for (const [pid, cmd] of [[root, cmdlineOf(root) ?? ''] as const, ...descendants(root)]) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        const ticks = Number(fields[11]) + Number(fields[12])
        const waitNs = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1])
        // An exiting process (zombie) has an empty cmdline: keep the role seen while it ran.
        const role = cmd.trim() === '' || cmd === '?' ? last.get(pid)?.role ?? 'unknown' : roleOf(cmd)
        // ticks are USER_HZ = 100 per second on every Linux the tests run on (getconf CLK_TCK).
        last.set(pid, {role, cpuMs: ticks * 10, runQueueWaitMs: Math.round(waitNs / 1e6)})
      } catch {
        // exited between listing and reading
      }
    }
  }
  sample()
  const timer = setInterval(sample, everyMs)
  return {
    stop() {
      clearInterval(timer)
      return [...last.values()]
    },
  }
}


/** Busy fraction of all CPUs over `ms`, from /proc/stat (idle + iowait count as idle). */
async function cpuBusyFraction(ms: number): Promise<number> {
  const read = (): {busy: number; total: number} => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
    const total = f.reduce((a, b) => a + b, 0)
    return {busy: total - f[3]! - f[4]!, total}
  }
  const a = read()
  await new Promise((resolve) => setTimeout(resolve, ms))
  const b = read()
  return b.total === a.total ? 0 : (b.busy - a.busy) / (b.total - a.total)
}

/**
 * Waits (at most maxMs) until the machine is quiet: two consecutive seconds with under `busy` of the CPUs
 * in use. A measurement that runs straight after a suite would otherwise meet its last JVMs shutting down.
 * Returns what it saw, for the test's log line.
 */
export async function waitForQuietMachine(maxMs = 30_000, busy = 0.15): Promise<string> {
  const start = Date.now()
  let quiet = 0
  let last = 1
  while (Date.now() - start < maxMs) {
    last = await cpuBusyFraction(1000)
    quiet = last < busy ? quiet + 1 : 0
    if (quiet >= 2) return `quiet after ${((Date.now() - start) / 1000).toFixed(0)} s`
  }
  return `still ${(last * 100).toFixed(0)} % busy after ${maxMs / 1000} s`
}

/** Pids of live processes whose environment carries `marker`: every child of one run inherits it, so orphans show. */
export function processesWith(marker: string): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker)) found.push(Number(entry))
    } catch {
      // gone, or not ours to read
    }
  }
  return found
}
