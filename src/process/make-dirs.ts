/**
 * mkdir -p that cannot spin. Node's recursive mkdir loops forever at 100 % CPU on a path under a
 * pseudo filesystem such as /proc (mkdir says ENOENT, the parent exists, so it retries the child
 * without end). Here the missing components are found first (walking up with stat) and created one
 * by one without `recursive`, so any refusal is an error naming the path.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'

function missingComponents(dir: string): string[] {
  const missing: string[] = []
  for (let p = path.resolve(dir); ; p = path.dirname(p)) {
    let st: fs.Stats
    try {
      st = fs.statSync(p)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(p) === p) throw err
      missing.push(p)
      continue
    }
    if (!st.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, '${p}'`), {code: 'ENOTDIR', path: p})
    return missing.reverse()
  }
}

export function makeDirsSync(dir: string): void {
  for (const p of missingComponents(dir)) {
    try {
      fs.mkdirSync(p)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
  }
}

export async function makeDirs(dir: string): Promise<void> {
  for (const p of missingComponents(dir)) {
    try {
      await fs.promises.mkdir(p)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
  }
}
