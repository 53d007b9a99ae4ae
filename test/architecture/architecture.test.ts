/**
 * The layout holds by test, not by goodwill: imports point down the level table (README "Layout"),
 * sideways only where the allow-list says why, never from chaos/runner/audit into remoting/ or broker/,
 * no import cycles, and no function over 70 lines in src/ or commands/. Fixtures show each check fails.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {functionLengths, type FunctionLength} from './function-length.js'
import {cycles, importsOf, tsFiles, unusedAllowances, violations} from './import-graph.js'

const ROOT = join(import.meta.dirname, '..', '..')
const FIXTURES = join(ROOT, 'test', 'fixtures', 'architecture')
const MAX_FUNCTION_LINES = 70

const files = tsFiles(ROOT, ['src', 'commands'])
const edges = files.flatMap((f) => importsOf(ROOT, f))
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8')
const tooLong = (lengths: FunctionLength[]): string[] =>
  lengths.filter((l) => l.lines > MAX_FUNCTION_LINES).map((l) => `${l.file}:${l.line} ${l.name} (${l.lines} lines)`)

describe('import direction', () => {
  it('parses a real graph (sanity: hundreds of files, thousands of edges)', () => {
    expect(files.length).toBeGreaterThan(200)
    expect(edges.length).toBeGreaterThan(500)
    expect(edges.some((e) => e.from === 'src/runner/run-scenario.ts' && e.to === 'src/workload/worker-fleet.ts')).toBe(true)
  })

  it('every import follows the level table, the sideways allow-list and the forbidden list', () => {
    expect(violations(edges)).toEqual([])
  })

  it('every allow-list entry is used', () => {
    expect(unusedAllowances(edges)).toEqual([])
  })

  it('there are no import cycles', () => {
    expect(cycles(edges)).toEqual([])
  })

  it('fails when a lower room imports a higher one (fixture)', () => {
    const bad = importsOf(ROOT, 'src/recorder/bad.ts', fixture('lower-imports-higher.txt'))
    expect(violations(bad)).toEqual([
      'src/recorder/bad.ts → src/runner/index.ts: src/recorder (level 2) imports src/runner (level 4)',
      'src/recorder/bad.ts → src/audit/audit-run.ts: src/recorder (level 2) imports src/audit (level 3)',
    ])
  })

  it('fails on a sideways import outside the allow-list and on a forbidden downward one', () => {
    const text = "import {auditRun} from '../audit/audit-run.js'\nimport {RemotingClient} from '../remoting/remoting-client.js'\n"
    expect(violations(importsOf(ROOT, 'src/chaos/bad.ts', text))).toEqual([
      'src/chaos/bad.ts → src/audit/audit-run.ts: sideways src/chaos → src/audit is not in the allow-list',
      'src/chaos/bad.ts → src/remoting/remoting-client.ts: broker calls go through client/ (admin.ts)',
    ])
  })

  it('finds a cycle (fixture pair, one edge type-only)', () => {
    const pair = [
      ...importsOf(ROOT, 'src/audit/cycle-a.ts', fixture('cycle-a.txt')),
      ...importsOf(ROOT, 'src/audit/cycle-b.ts', fixture('cycle-b.txt')),
    ]
    expect(cycles(pair)).toEqual([['src/audit/cycle-a.ts', 'src/audit/cycle-b.ts']])
  })

  it('ignores imports inside comments', () => {
    expect(importsOf(ROOT, 'src/protocol/x.ts', "/** import {a} from '../runner/index.js' */\n// import {b} from '../cli/flags.js'\n")).toEqual([])
  })
})

describe('function length', () => {
  it(`no function in src/ or commands/ is over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(tooLong(files.flatMap((f) => functionLengths(ROOT, f)))).toEqual([])
  })

  it('measures a function from its first to its last line', () => {
    const body = Array.from({length: 71}, (_, i) => `  const v${i} = ${i}`).join('\n')
    const lengths = functionLengths(ROOT, 'src/x.ts', `export function long(): void {\n${body}\n}\nconst short = () => 1\n`)
    expect(lengths).toEqual([{file: 'src/x.ts', name: 'long', line: 1, lines: 73}, {file: 'src/x.ts', name: 'short', line: 74, lines: 1}])
    // The same filter as the check above flags it, and only it.
    expect(tooLong(lengths)).toEqual(['src/x.ts:1 long (73 lines)'])
  })
})
