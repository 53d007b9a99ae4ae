/**
 * `npm run bench [-- prefix ...]`: loads every *.bench.js next to this file and prints one JSON line
 * per figure: {"bench": name, "value": n, "unit": u, ...conditions}. Names are a contract.
 */
import {readdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import type {Bench} from './bench.js'

const here = dirname(fileURLToPath(import.meta.url))
const prefixes = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const files = readdirSync(here).filter((f) => /\.bench\.js$/.test(f)).sort()
let failures = 0
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as {benches?: Bench[]}
  for (const bench of mod.benches ?? []) {
    if (prefixes.length > 0 && !prefixes.some((p) => bench.name.startsWith(p))) continue
    try {
      const result = await bench.run()
      console.log(JSON.stringify({bench: bench.name, ...result, cores: 2, node: process.version}))
    } catch (err) {
      failures++
      console.log(JSON.stringify({bench: bench.name, error: err instanceof Error ? err.message : String(err)}))
    }
  }
}
process.exit(failures > 0 ? 1 : 0)
