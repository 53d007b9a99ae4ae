/**
 * Run directories pile up (a run's broker stores are tens of MB): keep the store files only when they
 * can still tell something (a failed run, or --keep-store), point `<out>/latest` at the newest run so
 * `mqbench compare baseline runs/latest` works, and let `mqbench clean` drop old runs.
 * Only directories that look like runs (a scenario.json inside) are ever removed; links are not followed.
 */
import {existsSync, lstatSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync} from 'node:fs'
import {join, resolve} from 'node:path'

export const LATEST_LINK = 'latest'

/** <out>/latest → <run-id>, relative, replaced atomically (a reader never sees it missing). */
export function linkLatest(outParent: string, runId: string): void {
  const out = resolve(outParent)
  const tmp = join(out, `.${LATEST_LINK}-${process.pid}`)
  try {
    if (existsSync(tmp) || isLink(tmp)) unlinkSync(tmp)
    symlinkSync(runId, tmp, 'dir')
    renameSync(tmp, join(out, LATEST_LINK))
  } catch {
    // A filesystem without symlinks: the run itself is unaffected, the link is a convenience.
    if (isLink(tmp)) unlinkSync(tmp)
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink()
  } catch {
    return false
  }
}

function sizeOf(path: string): number {
  let total = 0
  for (const e of readdirSync(path, {withFileTypes: true, recursive: true})) {
    if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size
  }
  return total
}

/** Deletes cluster/<node>/store of one run; returns the bytes freed. Logs, ledgers and results stay. */
export function removeStores(runRoot: string): number {
  const clusterDir = join(runRoot, 'cluster')
  if (!existsSync(clusterDir)) return 0
  let freed = 0
  for (const node of readdirSync(clusterDir, {withFileTypes: true})) {
    const store = join(clusterDir, node.name, 'store')
    if (!node.isDirectory() || !existsSync(store) || isLink(store)) continue
    freed += sizeOf(store)
    rmSync(store, {recursive: true, force: true})
  }
  return freed
}

/** Run directories under `outParent`, newest first (run ids start with the scenario, so order by mtime). */
export function listRunDirs(outParent: string): string[] {
  const out = resolve(outParent)
  if (!existsSync(out)) return []
  return readdirSync(out, {withFileTypes: true})
    .filter((e) => e.isDirectory() && existsSync(join(out, e.name, 'scenario.json')))
    .map((e) => ({path: join(out, e.name), mtimeMs: statSync(join(out, e.name, 'scenario.json')).mtimeMs}))
    .sort((a, b) => b.mtimeMs - a.mtimeMs)
    .map((e) => e.path)
}

export interface CleanResult {
  removed: string[]
  kept: string[]
  bytesFreed: number
}

/** Removes every run directory but the `keepLast` newest; `latest` is re-pointed (or removed with the last run). */
export function cleanRuns(outParent: string, keepLast: number): CleanResult {
  const runs = listRunDirs(outParent)
  const kept = runs.slice(0, keepLast)
  const removed = runs.slice(keepLast)
  let bytesFreed = 0
  for (const dir of removed) {
    bytesFreed += sizeOf(dir)
    rmSync(dir, {recursive: true, force: true})
  }
  const link = join(resolve(outParent), LATEST_LINK)
  if (kept[0]) linkLatest(outParent, kept[0].slice(resolve(outParent).length + 1))
  else if (isLink(link)) unlinkSync(link)
  return {removed, kept, bytesFreed}
}
