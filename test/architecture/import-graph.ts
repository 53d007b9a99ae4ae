/**
 * The import graph of src/ and commands/, parsed from the files themselves (static `import`/`export
 * ... from` and dynamic `import('…')` with a relative specifier), for the architecture tests: the
 * level table, the sideways allow-list, cycles, and function length.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, relative, resolve} from 'node:path'

export interface ImportEdge {
  from: string
  to: string
  typeOnly: boolean
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g

export function tsFiles(root: string, dirs: readonly string[]): string[] {
  const out: string[] = []
  for (const d of dirs) {
    for (const e of readdirSync(join(root, d), {withFileTypes: true, recursive: true})) {
      if (e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(relative(root, join(e.parentPath, e.name)))
    }
  }
  return out.sort()
}

/** Comments are dropped first so an example in a doc comment is not an import. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
}

export function importsOf(root: string, file: string, text = readFileSync(join(root, file), 'utf8')): ImportEdge[] {
  const edges: ImportEdge[] = []
  for (const m of stripComments(text).matchAll(IMPORT)) {
    const spec = m[3] ?? m[4]!
    const to = relative(root, resolve(root, dirname(file), spec.replace(/\.js$/, '.ts')))
    edges.push({from: file, to, typeOnly: m[2] !== undefined})
  }
  return edges
}

/** Levels, top to bottom (README "Layout"): an import may only point to the same room or a lower level. */
export const LEVELS: ReadonlyArray<readonly string[]> = [
  ['src/protocol'],
  ['src/remoting', 'src/process'],
  ['src/client', 'src/broker', 'src/recorder'],
  ['src/scenario', 'src/cluster', 'src/workload', 'src/chaos', 'src/audit', 'src/metrics', 'src/report'],
  ['src/runner'],
  ['src/matrix'],
  ['commands', 'src/cli'],
]

/** Files at the top of src/ every room may import, except protocol/ (which imports nothing of ours). */
export const SHARED_FILES: ReadonlySet<string> = new Set(['src/errors.ts', 'src/units.ts', 'src/seeded-random.ts'])

/** Sideways imports inside one level, each with its reason; anything else sideways fails the test, and so does an entry no import uses. */
export const SIDEWAYS_ALLOWED: ReadonlyArray<{from: string; to: string; why: string}> = [
  {from: 'commands', to: 'src/cli', why: 'commands are adapters over the one base command, flags and sessions'},
  {from: 'src/chaos', to: 'src/cluster', why: 'faults act on cluster nodes'},
  {from: 'src/chaos', to: 'src/scenario', why: 'the fault schedule and the brokers it targets come from the scenario'},
  {from: 'src/chaos', to: 'src/workload', why: 'kill-producer/kill-consumer act on the worker fleet (WorkerControl, a type)'},
  {from: 'src/report', to: 'src/metrics', why: 'latency summaries and histograms in the result and the .hlog files'},
  {from: 'src/report', to: 'src/audit', why: 'result types only'},
  {from: 'src/report', to: 'src/cluster', why: 'result types only: the replication check\'s ReplicationResult'},
  {from: 'src/report', to: 'src/workload', why: 'result types only: the JVM warm-up figures (JvmWarmupResult)'},
  {from: 'src/report', to: 'src/scenario', why: 'result.json names the client the scenario chose (ClientRef, a type)'},
  {from: 'src/scenario', to: 'src/workload', why: 'the schema refuses send modes the ordered/outbox workloads cannot use (one rule, shared)'},
  {from: 'src/workload', to: 'src/metrics', why: 'workers record latency histograms and counters'},
  {from: 'src/workload', to: 'src/scenario', why: 'the worker fleet and the drain are planned from the scenario (types)'},
]

/** Downward imports the level table would allow but the design does not: only client/ talks to brokers. */
export const FORBIDDEN: ReadonlyArray<{from: string; to: string; why: string}> = [
  ...['src/chaos', 'src/runner', 'src/audit'].flatMap((from) => [
    {from, to: 'src/remoting', why: 'broker calls go through client/ (admin.ts)'},
    {from, to: 'src/broker', why: 'embedded-broker knowledge sits behind the Cluster seam'},
  ]),
  {from: 'src/audit', to: 'src/client', why: 'the audit is pure: it reads the record, never a broker'},
]

export function roomOf(file: string): string | undefined {
  if (SHARED_FILES.has(file)) return undefined
  for (const rooms of LEVELS) for (const r of rooms) if (file === `${r}.ts` || file.startsWith(`${r}/`)) return r
  return undefined
}

export function levelOf(room: string): number {
  return LEVELS.findIndex((rooms) => rooms.includes(room))
}

/** Every import that breaks the level table or the allow-list, as "from → to (why)". */
export function violations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = []
  for (const e of edges) {
    const from = roomOf(e.from)
    if (SHARED_FILES.has(e.to)) {
      if (from === 'src/protocol') out.push(`${e.from} → ${e.to}: protocol/ imports nothing of ours`)
      continue
    }
    const to = roomOf(e.to)
    if (from === undefined || to === undefined) {
      if (!SHARED_FILES.has(e.from)) out.push(`${e.from} → ${e.to}: outside every room of the level table`)
      continue
    }
    if (from === to) continue
    const banned = FORBIDDEN.find((f) => f.from === from && f.to === to)
    if (banned) out.push(`${e.from} → ${e.to}: ${banned.why}`)
    const lf = levelOf(from)
    const lt = levelOf(to)
    if (lt < lf) continue
    if (lt > lf) out.push(`${e.from} → ${e.to}: ${from} (level ${lf}) imports ${to} (level ${lt})`)
    else if (!SIDEWAYS_ALLOWED.some((a) => a.from === from && a.to === to)) out.push(`${e.from} → ${e.to}: sideways ${from} → ${to} is not in the allow-list`)
  }
  return out
}

/** File-level import cycles (each as the list of files around it), type-only edges included. */
export function cycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>()
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to])
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  let counter = 0
  // Tarjan's strongly connected components; a component of more than one file is a cycle.
  const visit = (v: string): void => {
    index.set(v, counter)
    low.set(v, counter++)
    stack.push(v)
    onStack.add(v)
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!))
      }
    }
    if (low.get(v) !== index.get(v)) return
    const component: string[] = []
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      onStack.delete(w)
      component.push(w)
      if (w === v) break
    }
    if (component.length > 1 || (next.get(v) ?? []).includes(v)) found.push(component.sort())
  }
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v)
  return found
}

/** Allow-list entries that no import uses (a stale entry would hide the next wrong import). */
export function unusedAllowances(edges: readonly ImportEdge[]): string[] {
  return SIDEWAYS_ALLOWED.filter((a) => !edges.some((e) => roomOf(e.from) === a.from && roomOf(e.to) === a.to)).map((a) => `${a.from} → ${a.to}`)
}
