/** Where the helper is, and the one-line exit-2 refusal of a scenario asking for faultfs where it cannot mount. */
import {afterEach, describe, expect, it} from 'vitest'
import {faultfsProblems, requireFaultFs} from '../../../../src/cluster/faultfs/faultfs-binary.js'
import {storeFsMount} from '../../../../src/cluster/faultfs/faultfs-mount.js'
import {ConfigError, ExitCode} from '../../../../src/errors.js'

const saved = process.env['MQBENCH_FAULTFS_BIN']
afterEach(() => {
  if (saved === undefined) delete process.env['MQBENCH_FAULTFS_BIN']
  else process.env['MQBENCH_FAULTFS_BIN'] = saved
})

describe('faultfs availability', () => {
  it('a missing helper is named, with how to build it', () => {
    process.env['MQBENCH_FAULTFS_BIN'] = '/nonexistent/faultfs'
    expect(faultfsProblems()).toContain('the faultfs helper /nonexistent/faultfs is not built (needs Go on PATH: npm run faultfs:build)')
  })

  it('refuses storeFs: faultfs with one line naming the field (exit 2); other stores need nothing', () => {
    process.env['MQBENCH_FAULTFS_BIN'] = '/nonexistent/faultfs'
    expect(() => requireFaultFs([{}, {storeFs: 'local'}], 'scenario s.yaml')).not.toThrow()
    let err: unknown
    try {
      requireFaultFs([{}, {storeFs: 'faultfs'}], 'scenario s.yaml')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).exitCode).toBe(ExitCode.usage)
    expect((err as Error).message).toMatch(/^scenario s\.yaml: cluster\.brokers\.1\.conf\.storeFs: faultfs is unavailable here: the faultfs helper \/nonexistent\/faultfs is not built/)
    expect((err as Error).message).not.toContain('\n')
  })

  it('a store on faultfs keeps its directory as the backing disk and mounts beside it', () => {
    expect(storeFsMount({storeFs: 'local'}, '/r/b', '/r/b/store')).toBeUndefined()
    const m = storeFsMount({storeFs: 'faultfs'}, '/r/b', '/r/b/store', ['flush.log'])!
    expect(m.opts).toMatchObject({backing: '/r/b/store', mountPoint: '/r/b/store.faultfs', logFile: '/r/b/faultfs.log', direct: ['flush.log']})
  })
})
