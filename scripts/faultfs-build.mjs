#!/usr/bin/env node
// Builds the faultfs FUSE helper (faultfs/, Go) into faultfs/bin/faultfs during `npm install`/`npm ci`
// (the `prepare` script). Without Go the build is skipped with one loud line: npm install must not fail
// for want of a toolchain, and everything but `storeFs: faultfs` works without the helper.
import {execFileSync} from 'node:child_process'
import {accessSync, constants} from 'node:fs'
import {delimiter, dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(repo, 'faultfs')

function findGo() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    try {
      accessSync(join(dir, 'go'), constants.X_OK)
      return join(dir, 'go')
    } catch {
      // not here
    }
  }
  return undefined
}

const go = findGo()
if (go === undefined) {
  console.warn('faultfs: SKIPPED building the FUSE helper: `go` is not on PATH (storeFs: faultfs will be refused until it is built: npm run faultfs:build)')
  process.exit(0)
}
try {
  // -mod=readonly: go.sum pins every module; a build never edits go.mod behind our back.
  execFileSync(go, ['build', '-mod=readonly', '-trimpath', '-o', join('bin', 'faultfs'), '.'], {cwd: src, stdio: 'inherit', env: {...process.env, CGO_ENABLED: '0'}})
  console.log(`faultfs: built ${join(src, 'bin', 'faultfs')}`)
} catch (err) {
  console.warn(`faultfs: FAILED to build the FUSE helper (${err.message.split('\n')[0]}); storeFs: faultfs will be refused until \`npm run faultfs:build\` succeeds`)
  process.exit(process.env.FAULTFS_BUILD_STRICT === '1' ? 1 : 0)
}
